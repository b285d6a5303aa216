package dev.weir.cli;

import static dev.weir.testing.ClassicCanary.V1;
import static dev.weir.testing.ClassicCanary.V2;
import static dev.weir.testing.ClassicCanary.V3;
import static dev.weir.testing.RolloutAssert.assertThatRollout;
import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.testing.ClassicCanary;
import dev.weir.testing.KubectlWeir;
import dev.weir.testing.Kubelet;
import dev.weir.testing.RealTier;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl weir} through the real kubectl against the real API server, with Weir's controller
 * moving the release: the example canary of examples/canary-istio (timed pauses shortened to a
 * second), v1 stable and healthy at the start of each story.
 */
class PluginReleaseIT {

  final RealTier tier = new RealTier();
  Kubelet kubelet;
  RunningWeir weir;
  RolloutScenario checkout;
  KubectlWeir kubectl;
  String v1;
  final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void givenStableV1() {
    tier.beforeStory("shop");
    kubelet = tier.kubelet().start();
    weir = tier.startWeir(Optional.empty(), 0);
    checkout = ClassicCanary.givenStableV1(tier.client(), r -> {});
    v1 = checkout.status().stableRS;
    kubectl = new KubectlWeir(tier.cluster().dir().resolve("admin.kubeconfig"));
  }

  @AfterEach
  void stop() throws Exception {
    for (var c : closeables) {
      c.close();
    }
    weir.close();
    kubelet.close();
  }

  /** v2 applied (as a GitOps sync would) and paused at the manual pause, 10 % of the traffic. */
  String whenV2PausesAtTenPercent() {
    return ClassicCanary.whenV2PausesAtTenPercent(checkout);
  }

  static void assertSucceeded(KubectlWeir.Result result) {
    assertThat(result.exitCode()).as(result.both()).isZero();
    assertThat(result.err()).as(result.both()).isEmpty();
  }

  static void assertFailed(KubectlWeir.Result result, String stderr) {
    assertThat(result.exitCode()).as(result.both()).isEqualTo(1);
    assertThat(result.err()).as(result.both()).isEqualTo(stderr + "\n");
    assertThat(result.out()).as(result.both()).isEmpty();
  }

  static void assertLine(String output, String regex) {
    assertThat(Pattern.compile(regex, Pattern.MULTILINE).matcher(output).find())
        .as("a line matching %s in:%n%s", regex, output)
        .isTrue();
  }

  @Test
  void getShowsTheReleaseAsAPlainTreeWhenPiped() {
    String v2 = whenV2PausesAtTenPercent();

    var result = kubectl.weir("get", "rollout", "checkout", "-n", "shop");

    assertSucceeded(result);
    String out = result.out();
    assertThat(out).doesNotContain("\u001b").doesNotContain("✔");
    assertThat(out)
        .startsWith(
            String.join(
                "\n",
                "Name:            checkout",
                "Namespace:       shop",
                "Status:          Paused",
                "Message:         paused at step 2/6: waiting for promote",
                "Strategy:        Canary",
                "  Step:          2/6",
                "  SetWeight:     10",
                "  ActualWeight:  10",
                "Images:          " + V1 + " (stable)",
                "                 " + V2 + " (canary)",
                "Replicas:",
                "  Desired:       5",
                "  Current:       6",
                "  Updated:       1",
                "  Ready:         6",
                "  Available:     6",
                "",
                "Steps:",
                "  done     1  setWeight: 10",
                "  current  2  pause: {}",
                "           3  setWeight: 30",
                "           4  pause: 1s",
                "           5  setWeight: 60",
                "           6  pause: 1s",
                ""));
    assertLine(out, "^NAME +KIND +STATUS +AGE +INFO$");
    assertLine(out, "^checkout +Rollout +Paused +\\S+$");
    assertLine(out, "^\\|-- revision:2 +canary$");
    assertLine(out, "^\\|   `-- checkout-" + v2 + " +ReplicaSet +Healthy +\\S+ +1/1 ready$");
    assertLine(out, "^`-- revision:1 +stable$");
    assertLine(out, "^    `-- checkout-" + v1 + " +ReplicaSet +Healthy +\\S+ +5/5 ready$");
  }

  @Test
  void getOnATerminalHasColoursAndSymbols() {
    whenV2PausesAtTenPercent();

    // script(1) runs the command on a pseudo-terminal, as a user's shell would.
    var result = kubectl.shell("script -qec 'kubectl weir get rollout checkout -n shop' /dev/null");

    assertThat(result.exitCode()).as(result.both()).isZero();
    assertThat(result.out())
        .contains("\u001b[33m‖ Paused\u001b[0m")
        .contains("\u001b[32m✔ Healthy\u001b[0m")
        .contains("├── ")
        .contains("└── ");
  }

  @Test
  void getPrintsTheTreeAsJsonOrYaml() throws Exception {
    String v2 = whenV2PausesAtTenPercent();

    var json = kubectl.weir("get", "rollout", "checkout", "-n", "shop", "-o", "json");
    var yaml = kubectl.weir("get", "rollout", "checkout", "-n", "shop", "-o", "yaml");

    assertSucceeded(json);
    JsonNode view = new ObjectMapper().readTree(json.out());
    assertThat(view.path("phase").asText()).isEqualTo("Paused");
    assertThat(view.path("currentStepIndex").asInt()).isEqualTo(1);
    assertThat(view.path("stepCount").asInt()).isEqualTo(6);
    assertThat(view.path("setWeight").asInt()).isEqualTo(10);
    assertThat(view.path("actualWeight").asInt()).isEqualTo(10);
    assertThat(view.path("revisions").get(0).path("hash").asText()).isEqualTo(v2);
    assertThat(view.path("revisions").get(0).path("roles").toString()).isEqualTo("[\"canary\"]");
    assertThat(view.path("revisions").get(0).path("replicaSet").path("ready").asInt()).isEqualTo(1);
    assertThat(view.path("revisions").get(1).path("hash").asText()).isEqualTo(v1);
    assertThat(view.path("revisions").get(1).path("roles").toString()).isEqualTo("[\"stable\"]");
    assertThat(view.path("analysisRuns").isArray()).isTrue();
    assertSucceeded(yaml);
    Map<String, Object> fromYaml = new org.yaml.snakeyaml.Yaml().load(yaml.out());
    assertThat(fromYaml).containsEntry("name", "checkout").containsEntry("phase", "Paused");
  }

  @Test
  void getWatchShowsTheRolloutAgainAsItMoves() {
    whenV2PausesAtTenPercent();
    var watch = kubectl.startWeir("get", "rollout", "checkout", "-n", "shop", "--watch");
    closeables.add(watch);
    watch.awaitOut("the paused canary", out -> out.contains("  Step:          2/6"));

    checkout.promote();

    String out =
        watch.awaitOut(
            "v2 promoted",
            o ->
                o.contains("Status:          Healthy")
                    && o.lastIndexOf("revision:2") > o.lastIndexOf("Status:          Healthy"));
    int paused = out.indexOf("Status:          Paused");
    assertThat(paused).isNotNegative();
    assertThat(out.indexOf("Status:          Healthy")).isGreaterThan(paused);
    String last = out.substring(out.lastIndexOf("Name:            checkout"));
    assertLine(last, "^\\|-- revision:2 +stable$");
    assertThat(watch.alive()).as("the watch goes on").isTrue();
  }

  @Test
  void listShowsTheRolloutsAndWatchPrintsTheirChanges() throws Exception {
    whenV2PausesAtTenPercent();

    var list = kubectl.weir("list", "rollouts", "-n", "shop");
    var all = kubectl.weir("list", "rollouts", "-A");
    var json = kubectl.weir("list", "rollouts", "-n", "shop", "-o", "json");
    var empty = kubectl.weir("list", "rollouts", "-n", "default");

    assertSucceeded(list);
    assertLine(
        list.out(),
        "^NAME +STRATEGY +STATUS +STEP +SET-WEIGHT +READY +DESIRED +UP-TO-DATE +AVAILABLE +AGE$");
    assertLine(list.out(), "^checkout +Canary +Paused +2/6 +10 +6/5 +5 +1 +6 +\\S+$");
    assertSucceeded(all);
    assertLine(all.out(), "^NAMESPACE +NAME +STRATEGY +STATUS");
    assertLine(all.out(), "^shop +checkout +Canary +Paused +2/6 +10 ");
    assertSucceeded(json);
    var items = new ObjectMapper().readTree(json.out()).path("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).path("name").asText()).isEqualTo("checkout");
    assertThat(items.get(0).path("phase").asText()).isEqualTo("Paused");
    assertThat(empty.exitCode()).isZero();
    assertThat(empty.out()).isEmpty();
    assertThat(empty.err()).isEqualTo("No resources found in default namespace.\n");

    var watch = kubectl.startWeir("list", "rollouts", "-n", "shop", "--watch");
    closeables.add(watch);
    watch.awaitOut("the table", out -> out.contains("Paused"));
    checkout.promote();
    watch.awaitOut(
        "a line for the promoted rollout",
        out ->
            Pattern.compile("^checkout +Canary +Healthy +6/6 ", Pattern.MULTILINE)
                .matcher(out)
                .find());
  }

  @Test
  void promoteEndsThePauseAndFullSkipsTheRemainingSteps() {
    String v2 = whenV2PausesAtTenPercent();

    var promoted = kubectl.weir("promote", "checkout", "-n", "shop");

    assertSucceeded(promoted);
    assertThat(promoted.out()).isEqualTo("rollout.weir.dev/checkout promoted\n");
    awaitRollout(checkout, "v2 past the pause, promoted in the end", r -> r.isHealthyOn(v2));

    var nothingToPromote = kubectl.weir("promote", "checkout", "-n", "shop");
    assertFailed(
        nothingToPromote,
        "error: rollouts.weir.dev \"checkout\" has no release in progress to promote: revision "
            + v2
            + " is stable");

    checkout.setImage(V3);
    checkout.awaitStatus("v3 paused", s -> s.phase == RolloutPhase.Paused);
    var full = kubectl.weir("promote", "checkout", "-n", "shop", "--full");
    assertSucceeded(full);
    assertThat(full.out()).isEqualTo("rollout.weir.dev/checkout fully promoted\n");
    String v3 = checkout.hashWithImage(V3);
    awaitRollout(checkout, "v3 promoted at once", r -> r.isHealthyOn(v3));
    assertThatRollout(checkout).recorded("PromotedFull");
  }

  @Test
  void abortSendsTheTrafficBackAndRetryStartsAgain() {
    whenV2PausesAtTenPercent();

    var aborted = kubectl.weir("abort", "checkout", "-n", "shop");

    assertSucceeded(aborted);
    assertThat(aborted.out()).isEqualTo("rollout.weir.dev/checkout aborted\n");
    awaitRollout(checkout, "aborted", r -> r.isAborted());
    assertThatRollout(checkout).withCanaryWeight(0);
    assertFailed(
        kubectl.weir("abort", "checkout", "-n", "shop"),
        "error: rollouts.weir.dev \"checkout\" is already aborted");

    var retried = kubectl.weir("retry", "checkout", "-n", "shop");

    assertSucceeded(retried);
    assertThat(retried.out()).isEqualTo("rollout.weir.dev/checkout retried\n");
    checkout.awaitStatus(
        "back at the manual pause",
        s ->
            s.phase == RolloutPhase.Paused
                && Integer.valueOf(1).equals(s.currentStepIndex)
                && !Boolean.TRUE.equals(s.abort));
    assertFailed(
        kubectl.weir("retry", "checkout", "-n", "shop"),
        "error: rollouts.weir.dev \"checkout\" is not aborted");
  }

  @Test
  void pauseHoldsTheRolloutAndResumeLetsItGo() {
    var paused = kubectl.weir("pause", "checkout", "-n", "shop");

    assertSucceeded(paused);
    assertThat(paused.out()).isEqualTo("rollout.weir.dev/checkout paused\n");
    assertThat(checkout.rollout().getSpec().paused).isTrue();
    assertFailed(
        kubectl.weir("pause", "checkout", "-n", "shop"),
        "error: rollouts.weir.dev \"checkout\" is already paused");
    checkout.setImage(V2);
    awaitRollout(checkout, "v2 held before its first step", r -> r.isPausedAtStep(1));
    assertThatRollout(checkout).withCanaryWeight(0);

    var resumed = kubectl.weir("resume", "checkout", "-n", "shop");

    assertSucceeded(resumed);
    assertThat(resumed.out()).isEqualTo("rollout.weir.dev/checkout resumed\n");
    assertThat(checkout.rollout().getSpec().paused).isFalse();
    checkout.awaitStatus(
        "v2 at the manual pause", s -> Integer.valueOf(1).equals(s.currentStepIndex));
    assertFailed(
        kubectl.weir("resume", "checkout", "-n", "shop"),
        "error: rollouts.weir.dev \"checkout\" is not paused");
  }

  @Test
  void statusWaitsForAVerdictAndSaysItWithItsExitCode() {
    var healthy = kubectl.weir("status", "checkout", "-n", "shop");
    assertThat(healthy.exitCode()).as(healthy.both()).isZero();
    assertThat(healthy.out()).endsWith("Healthy - revision " + v1 + " is stable and available\n");

    whenV2PausesAtTenPercent();
    var paused = kubectl.weir("status", "checkout", "-n", "shop");
    assertThat(paused.exitCode()).as(paused.both()).isEqualTo(2);
    assertThat(paused.out()).endsWith("Paused - paused at step 2/6: waiting for promote\n");

    checkout.abort();
    checkout.awaitStatus("aborted", s -> s.phase == RolloutPhase.Degraded);
    var degraded = kubectl.weir("status", "checkout", "-n", "shop");
    assertThat(degraded.exitCode()).as(degraded.both()).isEqualTo(1);
    assertThat(degraded.out()).contains("Degraded - rollout aborted");
  }

  @Test
  void statusBlocksWhileTheReleaseProgressesAndGivesUpAtTheTimeout() {
    kubelet.neverReady(Kubelet.image(V3));
    checkout.setImage(V3);
    checkout.awaitStatus(
        "v3 waiting for its pods",
        s ->
            s.phase == RolloutPhase.Progressing
                && checkout.hashWithImage(V3).equals(s.currentPodHash));

    var timedOut = kubectl.weir("status", "checkout", "-n", "shop", "--timeout", "2s");

    assertThat(timedOut.exitCode()).as(timedOut.both()).isEqualTo(3);
    assertThat(timedOut.out()).startsWith("Progressing - ");
    assertThat(timedOut.err())
        .isEqualTo(
            "error: timed out after 2s waiting for rollout.weir.dev/checkout to be Healthy,"
                + " Degraded or Paused\n");

    var waiting = kubectl.startWeir("status", "checkout", "-n", "shop");
    closeables.add(waiting);
    waiting.awaitOut("the progress", out -> out.startsWith("Progressing - "));
    assertThat(waiting.alive()).as("status blocks while the release progresses").isTrue();
    checkout.abort();
    var verdict = waiting.finish();
    assertThat(verdict.exitCode()).as(verdict.both()).isEqualTo(1);
    assertThat(verdict.out()).contains("\nDegraded - rollout aborted");
  }

  @Test
  void setImageAndRestartReleaseNewRevisions() {
    var set = kubectl.weir("set", "image", "checkout", "app=" + V2, "-n", "shop");

    assertSucceeded(set);
    assertThat(set.out()).isEqualTo("rollout.weir.dev/checkout image updated\n");
    assertThat(checkout.rollout().getSpec().template.getSpec().getContainers().get(0).getImage())
        .isEqualTo(V2);
    String v2 = whenV2PausesAtTenPercentAlreadyApplied();
    assertThat(kubectl.weir("set", "image", "checkout", "app=" + V2, "-n", "shop").out())
        .isEqualTo("rollout.weir.dev/checkout unchanged\n");
    assertFailed(
        kubectl.weir("set", "image", "checkout", "sidecar=proxy:1", "-n", "shop"),
        "error: unable to find container named \"sidecar\"");

    var restarted = kubectl.weir("restart", "checkout", "-n", "shop");

    assertSucceeded(restarted);
    assertThat(restarted.out()).isEqualTo("rollout.weir.dev/checkout restarted\n");
    assertThat(checkout.rollout().getSpec().template.getMetadata().getAnnotations())
        .containsKey("kubectl.kubernetes.io/restartedAt");
    checkout.awaitStatus(
        "the restart is a new revision, superseding v2",
        s ->
            s.currentPodHash != null
                && !s.currentPodHash.equals(v2)
                && !s.currentPodHash.equals(v1));
    assertThat(checkout.eventReasons()).contains("Superseded");
  }

  String whenV2PausesAtTenPercentAlreadyApplied() {
    return awaitRollout(checkout, "v2 paused at the manual pause", r -> r.isPausedAtStep(2))
        .currentPodHash;
  }

  @Test
  void undoDuringAReleaseRollsBackToStableAtOnce() {
    whenV2PausesAtTenPercent();

    var undone = kubectl.weir("undo", "checkout", "-n", "shop");

    assertSucceeded(undone);
    assertThat(undone.out()).isEqualTo("rollout.weir.dev/checkout rolled back to revision 1\n");
    assertThat(checkout.rollout().getSpec().template.getSpec().getContainers().get(0).getImage())
        .isEqualTo(V1);
    // The template put back hashes to revision 1 itself (the API server's defaults left out):
    // Weir sees the stable revision declared again, an instant rollback, not a new release.
    awaitRollout(checkout, "back on v1", r -> r.isHealthyOn(v1));
    assertThatRollout(checkout).recorded("RolledBack").withCanaryWeight(0);
  }

  @Test
  void undoAfterAPromotionReleasesThePreviousRevisionAgain() {
    String v2 = whenV2PausesAtTenPercent();
    checkout.promoteFull();
    awaitRollout(checkout, "v2 stable", r -> r.isHealthyOn(v2));

    assertFailed(
        kubectl.weir("undo", "checkout", "-n", "shop", "--to-revision", "7"),
        "error: unable to find specified revision 7 in history");
    var undone = kubectl.weir("undo", "checkout", "-n", "shop");

    assertSucceeded(undone);
    assertThat(undone.out()).isEqualTo("rollout.weir.dev/checkout rolled back to revision 1\n");
    checkout.awaitStatus(
        "v1 released again, through the steps",
        s -> v1.equals(s.currentPodHash) && s.phase == RolloutPhase.Paused);
    assertThatRollout(checkout).hasStable(v2);
  }

  @Test
  void undoWithoutAnOlderRevisionSaysSo() {
    assertFailed(
        kubectl.weir("undo", "checkout", "-n", "shop"),
        "error: no rollout history found for rollouts.weir.dev \"checkout\"");
  }

  @Test
  void kubectlCompletesRolloutNamesThroughThePlugin() {
    var names = kubectl.kubectl("__complete", "weir", "promote", "-n", "shop", "");
    var noun = kubectl.kubectl("__complete", "weir", "get", "rollout", "-n", "shop", "ch");

    assertThat(names.exitCode()).as(names.both()).isZero();
    assertThat(names.out().lines()).contains("checkout", ":4");
    assertThat(noun.out().lines()).contains("checkout", ":4");
  }
}
