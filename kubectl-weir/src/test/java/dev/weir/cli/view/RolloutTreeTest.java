package dev.weir.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.WellKnownNames;
import dev.weir.cli.Fixtures;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tree of {@code kubectl weir get rollout}, from what the API server returned. */
class RolloutTreeTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

  @Test
  void aPausedCanaryWithItsAnalysisPiped() {
    var view = RolloutViews.of(Fixtures.rollout(), Fixtures.replicaSets(), Fixtures.analysisRuns());

    assertThat(RolloutTree.render(view, Style.PLAIN, NOW))
        .isEqualTo(
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
                "Images:          registry.example/checkout:2.4.1 (stable)",
                "                 registry.example/checkout:2.5.0 (canary)",
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
                "           4  pause: 2m",
                "           5  setWeight: 60",
                "           6  pause: 2m",
                "",
                "NAME                          KIND         STATUS   AGE    INFO",
                "checkout                      Rollout      Paused   10m",
                "|-- revision:2                                             canary",
                "|   |-- checkout-7c5b9d6f8    ReplicaSet   Healthy  6m     1/1 ready",
                "|   `-- checkout-7c5b9d6f8-1  AnalysisRun  Running  5m30s",
                "|       `-- success-rate      Metric       Running         value 0.997"
                    + " (2 measurements)",
                "`-- revision:1                                             stable",
                "    `-- checkout-5d8f6b7c4    ReplicaSet   Healthy  10m    5/5 ready",
                ""));
  }

  @Test
  void onATerminalStatusesHaveSymbolsAndColoursAndTheTreeBoxLines() {
    var view = RolloutViews.of(Fixtures.rollout(), Fixtures.replicaSets(), Fixtures.analysisRuns());

    String shown = RolloutTree.render(view, Style.TERMINAL, NOW);

    assertThat(shown)
        .contains("\u001b[33m‖ Paused\u001b[0m")
        .contains("\u001b[32m✔ Healthy\u001b[0m")
        .contains("\u001b[33m◌ Running\u001b[0m")
        .contains("├── # revision:2")
        .contains("│   └── α checkout-7c5b9d6f8-1")
        .contains("└── # revision:1");
    // Colour codes take no room: the columns line up as in plain text.
    String plain = RolloutTree.render(view, Style.PLAIN, NOW);
    assertThat(visibleWidth(lineWith(shown, "ReplicaSet")))
        .isEqualTo(lineWith(plain, "ReplicaSet").length() + 2 + 2);
  }

  @Test
  void withoutAnalysisRunsThereIsNoAnalysisBranch() {
    var view = RolloutViews.of(Fixtures.rollout(), Fixtures.replicaSets(), List.of());

    assertThat(RolloutTree.render(view, Style.PLAIN, NOW))
        .doesNotContain("AnalysisRun")
        .contains("|   `-- checkout-7c5b9d6f8  ReplicaSet  Healthy  6m   1/1 ready\n");
  }

  @Test
  void aRunThatNamesNoRevisionHangsFromTheRollout() {
    var run = (ObjectNode) Fixtures.analysisRuns().get(0).deepCopy();
    ((ObjectNode) run.path("metadata").path("labels"))
        .remove(WellKnownNames.POD_TEMPLATE_HASH_LABEL);

    String shown =
        RolloutTree.render(
            RolloutViews.of(Fixtures.rollout(), Fixtures.replicaSets(), List.of(run)),
            Style.PLAIN,
            NOW);

    assertThat(shown).contains("\n`-- checkout-7c5b9d6f8-1 ").contains("\n    `-- success-rate ");
  }

  @Test
  void aHealthyRolloutShowsNoStepsAndItsLastStep() {
    var rollout = (ObjectNode) Fixtures.rollout();
    var status = (ObjectNode) rollout.path("status");
    status.put("phase", "Healthy").put("currentStepIndex", 6).put("stableRS", "7c5b9d6f8");
    status.put("message", "revision 7c5b9d6f8 is stable and available");

    String shown =
        RolloutTree.render(
            RolloutViews.of(rollout, Fixtures.replicaSets(), List.of()), Style.PLAIN, NOW);

    assertThat(shown)
        .contains("Status:          Healthy\n", "  Step:          6/6\n")
        .contains("Images:          registry.example/checkout:2.5.0 (stable)\n")
        .doesNotContain("Steps:")
        .contains("|-- revision:2                                        stable\n")
        .contains("`-- revision:1\n");
  }

  @Test
  void aStatusNotYetComputedFromTheCurrentSpecSaysSo() {
    var rollout = (ObjectNode) Fixtures.rollout();
    ((ObjectNode) rollout.path("metadata")).put("generation", 3);

    assertThat(
            RolloutTree.render(
                RolloutViews.of(rollout, Fixtures.replicaSets(), List.of()), Style.PLAIN, NOW))
        .contains("Note:            Weir has not yet observed the latest change of the spec\n");
  }

  @Test
  void aBlueGreenRolloutIsNamedSo() {
    var rollout = (ObjectNode) Fixtures.rollout();
    var strategy = (ObjectNode) rollout.path("spec").path("strategy");
    strategy.remove("canary");
    strategy.putObject("blueGreen").put("activeService", "checkout-active");

    var view = RolloutViews.of(rollout, Fixtures.replicaSets(), List.of());

    assertThat(view.strategy()).isEqualTo("BlueGreen");
    assertThat(RolloutSummary.of(rollout).strategy()).isEqualTo("BlueGreen");
    assertThat(RolloutTree.render(view, Style.PLAIN, NOW)).contains("Strategy:        BlueGreen\n");
  }

  @Test
  void aRevisionHeldBecauseItWasAbortedBeforeIsListedWithWhyAndMarkedInTheTree() {
    var rollout = (ObjectNode) Fixtures.rollout();
    var status = (ObjectNode) rollout.path("status");
    status.put("phase", "Degraded").put("abort", true);
    status.put("message", "revision 7c5b9d6f8 was aborted at 2026-01-01T00:00:00Z (...)");
    var aborted = status.putArray("abortedRevisions");
    var v2 = aborted.addObject().put("podTemplateHash", "7c5b9d6f8");
    v2.putArray("images").add("registry.example/checkout:2.5.0");
    v2.put("abortedAt", "2026-01-01T00:00:00Z").put("reason", "AnalysisFailed");
    v2.put("analysisRun", "checkout-7c5b9d6f8-1").put("metric", "success-rate").put("value", "0.8");
    v2.putObject("writeBack")
        .put("phase", "Committed")
        .put("commit", "3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a")
        .put("branch", "main");
    var older = aborted.addObject().put("podTemplateHash", "6f7e8d9c0");
    older.putArray("images").add("registry.example/checkout:2.4.9");
    older.put("abortedAt", "2025-12-30T00:10:00Z").put("reason", "Aborted");

    var view = RolloutViews.of(rollout, Fixtures.replicaSets(), List.of());
    String shown = RolloutTree.render(view, Style.PLAIN, NOW);

    assertThat(shown)
        .contains(
            String.join(
                "\n",
                "",
                "Aborted revisions:",
                "  7c5b9d6f8  registry.example/checkout:2.5.0  10m ago  AnalysisFailed: metric"
                    + " success-rate = 0.8, AnalysisRun checkout-7c5b9d6f8-1; reverted in git by"
                    + " 3f2a1b0c9d8e on main",
                "  6f7e8d9c0  registry.example/checkout:2.4.9  2d ago   Aborted on request",
                ""))
        .contains("|-- revision:2                                         canary, aborted\n");
    assertThat(view.abortedRevisions())
        .extracting(RolloutView.AbortedRevisionView::hash)
        .containsExactly("7c5b9d6f8", "6f7e8d9c0");
  }

  @Test
  void withoutAbortedRevisionsThereIsNoSuchSection() {
    var view = RolloutViews.of(Fixtures.rollout(), Fixtures.replicaSets(), List.of());

    assertThat(RolloutTree.render(view, Style.PLAIN, NOW)).doesNotContain("Aborted revisions");
  }

  private static String lineWith(String text, String part) {
    return text.lines().filter(l -> l.contains(part)).findFirst().orElseThrow();
  }

  private static int visibleWidth(String line) {
    String bare = line.replaceAll("\u001b\\[[0-9;]*m", "");
    return bare.codePointCount(0, bare.length());
  }

  @Test
  void aBaselineBesideTheCanaryHasARowOfItsOwnUnderStablesRevisionNumber() {
    var replicaSets = new java.util.ArrayList<>(Fixtures.replicaSets());
    var stable =
        replicaSets.stream()
            .filter(rs -> rs.path("metadata").path("name").asText().equals("checkout-5d8f6b7c4"))
            .findFirst()
            .orElseThrow();
    var baseline = (ObjectNode) stable.deepCopy();
    ((ObjectNode) baseline.path("metadata")).put("name", "checkout-baseline-5d8f6b7c4");
    ((ObjectNode) baseline.path("metadata").path("labels"))
        .put(WellKnownNames.BASELINE_LABEL, "true");
    ((ObjectNode) baseline.path("spec")).put("replicas", 1);
    var status = (ObjectNode) baseline.path("status");
    List.of("replicas", "readyReplicas", "availableReplicas").forEach(f -> status.put(f, 1));
    replicaSets.add(baseline);
    var view = RolloutViews.of(Fixtures.rollout(), replicaSets, Fixtures.analysisRuns());

    String tree = RolloutTree.render(view, Style.PLAIN, NOW);

    assertThat(tree)
        .contains("registry.example/checkout:2.4.1 (stable, baseline)")
        .contains("checkout-baseline-5d8f6b7c4")
        .as("the runs hang from the canary's revision only")
        .containsOnlyOnce("AnalysisRun")
        .containsPattern("revision:1 +baseline")
        .containsPattern("revision:1 +stable");
  }
}
