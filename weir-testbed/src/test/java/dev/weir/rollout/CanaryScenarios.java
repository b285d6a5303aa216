package dev.weir.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPause;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.testing.Kubelet;
import dev.weir.testing.Manifests;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import dev.weir.testing.TrafficRecorder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The canary stories, written once and run on every tier of API server: each subclass says which
 * server the client talks to. The rollout is the classic example from examples/canary-istio (5
 * replicas, 10 % → manual pause → 30 % → pause → 60 % → pause, route `primary`), with its timed
 * pauses and scale-down delays shortened to a second.
 */
abstract class CanaryScenarios {

  static final String V2 = "registry.example/checkout:2.5.0";
  static final String V3 = "registry.example/checkout:2.6.0";

  Kubelet kubelet;
  RunningWeir weir;
  RolloutScenario checkout;
  final List<AutoCloseable> closeables = new ArrayList<>();

  /** The client of the API server this tier runs against. */
  abstract KubernetesClient client();

  /** The kubelet stand-in of this tier, not yet started. */
  abstract Kubelet kubelet(KubernetesClient client);

  /** Weir's controller on this tier, started: in-process, under the identity the tier gives it. */
  RunningWeir startWeir() {
    return RunningWeir.start(client());
  }

  /** Given the example's Services and VirtualService, and v1 of the rollout stable and healthy. */
  void givenStableV1(Consumer<Rollout> adjust) {
    var client = client();
    Manifests.apply(client, "examples/canary-istio/namespace.yaml");
    Manifests.apply(client, "examples/canary-istio/services.yaml");
    Manifests.apply(client, "examples/canary-istio/virtualservice.yaml");
    kubelet = kubelet(client).start();
    weir = startWeir();
    var rollout = Manifests.compressedClassicCanary();
    adjust.accept(rollout);
    client.resource(rollout).create();
    checkout = new RolloutScenario(client, "shop", "checkout");
    checkout.awaitStatus("v1 healthy", s -> s.phase == RolloutPhase.Healthy);
  }

  void givenStableV1() {
    givenStableV1(r -> {});
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (var c : closeables) {
      c.close();
    }
    if (weir != null) {
      weir.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
  }

  int canaryWeight() {
    return checkout.canaryWeight("checkout", "primary", "checkout-canary");
  }

  /** When v2 is applied, it stops at the manual pause with 10 % of the traffic. */
  String whenV2PausesAtTenPercent() {
    checkout.setImage(V2);
    var paused =
        checkout.awaitStatus(
            "v2 paused at the manual pause",
            s -> s.phase == RolloutPhase.Paused && s.currentStepIndex == 1);
    assertThat(canaryWeight()).isEqualTo(10);
    return paused.currentPodHash;
  }

  @Test
  void v2GoesThroughEveryStepAndIsPromoted() {
    givenStableV1();
    String v1 = checkout.status().stableRS;
    assertThat(checkout.serviceSelectorHash("checkout-stable")).isEqualTo(v1);
    assertThat(checkout.condition("Ready")).isTrue();

    String v2 = whenV2PausesAtTenPercent();
    assertThat(v2).isNotEqualTo(v1);
    assertThat(checkout.replicasByRevision()).containsEntry(v1, 5).containsEntry(v2, 1);
    assertThat(checkout.serviceSelectorHash("checkout-canary")).isEqualTo(v2);
    assertThat(checkout.serviceSelectorHash("checkout-stable")).isEqualTo(v1);
    assertThat(checkout.condition("Reconciling")).isTrue();

    checkout.promote();
    var done =
        checkout.awaitStatus(
            "v2 promoted and healthy",
            s -> v2.equals(s.stableRS) && s.phase == RolloutPhase.Healthy);
    assertThat(done.currentStepIndex).isEqualTo(6);
    assertThat(checkout.serviceSelectorHash("checkout-stable")).isEqualTo(v2);
    assertThat(canaryWeight()).isZero();
    checkout.awaitStatus(
        "old stable scaled down after scaleDownDelaySeconds",
        s -> checkout.replicasByRevision().get(v1) == 0);
    assertThat(checkout.replicasByRevision()).containsEntry(v2, 5);
    assertThat(checkout.condition("Completed")).isTrue();
    assertThat(checkout.eventReasons())
        .containsSubsequence(
            "NewRevision", "WeightSet", "StepPromoted", "WeightSet", "WeightSet", "Promoted");
  }

  @Test
  void abortSendsAllTrafficToStableThenScalesTheCanaryDown() {
    givenStableV1();
    String v1 = checkout.status().stableRS;
    String v2 = whenV2PausesAtTenPercent();

    checkout.abort();
    var aborted =
        checkout.awaitStatus(
            "aborted", s -> s.phase == RolloutPhase.Degraded && s.abortedAt != null);
    assertThat(aborted.stableRS).isEqualTo(v1);
    assertThat(aborted.currentPodHash).isEqualTo(v2);
    assertThat(canaryWeight()).isZero();
    assertThat(checkout.condition("Aborted")).isTrue();
    assertThat(checkout.condition("Stalled")).isTrue();
    checkout.awaitStatus(
        "canary scaled down after abortScaleDownDelaySeconds",
        s -> checkout.replicasByRevision().get(v2) == 0);
    assertThat(checkout.replicasByRevision()).containsEntry(v1, 5);
    assertThat(checkout.serviceSelectorHash("checkout-stable")).isEqualTo(v1);
    assertThat(checkout.eventReasons()).contains("Aborted");

    // The mock API server does not check resourceVersions, so a request sent while Weir is still
    // writing could be lost there; a user would also wait for the abort to settle.
    checkout.awaitStatus("abort settled", s -> s.updatedReplicas != null && s.updatedReplicas == 0);
    checkout.retry();
    checkout.awaitStatus(
        "retried from step 0 back to the manual pause",
        s -> s.phase == RolloutPhase.Paused && s.currentStepIndex == 1 && s.abortedAt == null);
    assertThat(canaryWeight()).isEqualTo(10);
    assertThat(checkout.replicasByRevision()).containsEntry(v2, 1);
    assertThat(checkout.eventReasons()).contains("Retried");
  }

  @Test
  void aNewRevisionMidRolloutSupersedesTheOneInProgress() {
    givenStableV1();
    String v1 = checkout.status().stableRS;
    String v2 = whenV2PausesAtTenPercent();

    checkout.setImage(V3);
    var v3Paused =
        checkout.awaitStatus(
            "v3 at the manual pause",
            s ->
                s.phase == RolloutPhase.Paused
                    && s.currentStepIndex == 1
                    && !v2.equals(s.currentPodHash));
    String v3 = v3Paused.currentPodHash;
    assertThat(v3Paused.stableRS).isEqualTo(v1);
    assertThat(canaryWeight()).isEqualTo(10);
    assertThat(checkout.serviceSelectorHash("checkout-canary")).isEqualTo(v3);
    checkout.awaitStatus(
        "superseded canary scaled down", s -> checkout.replicasByRevision().get(v2) == 0);
    assertThat(checkout.replicasByRevision()).containsEntry(v1, 5).containsEntry(v3, 1);
    assertThat(checkout.eventReasons()).contains("Superseded");
  }

  @Test
  void goingBackToTheStableTemplateIsAnInstantRollback() {
    givenStableV1();
    String v1 = checkout.status().stableRS;
    String v2 = whenV2PausesAtTenPercent();

    checkout.setImage("registry.example/checkout:2.4.1");
    var back =
        checkout.awaitStatus(
            "healthy on v1 again",
            s -> s.phase == RolloutPhase.Healthy && v1.equals(s.currentPodHash));
    assertThat(back.stableRS).isEqualTo(v1);
    assertThat(canaryWeight()).isZero();
    assertThat(checkout.serviceSelectorHash("checkout-canary")).isEqualTo(v1);
    checkout.awaitStatus("canary scaled down", s -> checkout.replicasByRevision().get(v2) == 0);
    assertThat(checkout.eventReasons()).contains("RolledBack").doesNotContain("Promoted");
  }

  @Test
  void aGitOpsSyncThatResetsTheWeightsIsCorrectedAndNeverPromotes() {
    givenStableV1();
    String v1 = checkout.status().stableRS;
    whenV2PausesAtTenPercent();

    // The sync re-applies the manifests from git: weights 100/0, selectors without a hash.
    Manifests.load("examples/canary-istio/virtualservice.yaml")
        .forEach(o -> client().resource(o).update());
    Manifests.load("examples/canary-istio/services.yaml")
        .forEach(
            o -> {
              var service = (Service) o;
              client()
                  .services()
                  .inNamespace("shop")
                  .withName(service.getMetadata().getName())
                  .edit(
                      live -> {
                        live.getSpec().setSelector(service.getSpec().getSelector());
                        return live;
                      });
            });

    await("weight and selectors restored")
        .atMost(RolloutScenario.PATIENCE)
        .until(
            () ->
                canaryWeight() == 10 && v1.equals(checkout.serviceSelectorHash("checkout-stable")));
    var status = checkout.status();
    assertThat(status.currentStepIndex).isEqualTo(1);
    assertThat(status.phase).isEqualTo(RolloutPhase.Paused);
    assertThat(status.stableRS).isEqualTo(v1);
    assertThat(checkout.eventReasons()).contains("WeightRestored").doesNotContain("Promoted");
  }

  @Test
  void aControllerRestartedAtEveryStepResumesWhereItWasAndNeverGoesBack() {
    // Every pause is manual so that the test, not the clock, decides when a step ends.
    givenStableV1(
        r ->
            r.getSpec().strategy.canary.steps.stream()
                .filter(s -> s.pause != null)
                .forEach(s -> s.pause = new RolloutPause()));
    String v1 = checkout.status().stableRS;
    String v2 = checkout.hashWithImage(V2);
    var recorder = new TrafficRecorder(client(), "shop", "checkout", v2);
    closeables.add(recorder);
    List<CanaryStep> steps = checkout.rollout().getSpec().strategy.canary.steps;

    kubelet.freeze();
    checkout.setImage(V2);
    for (int step = 0; step < steps.size(); step++) {
      final int index = step;
      if (steps.get(step).setWeight != null) {
        // Waiting for canary pods inside a setWeight step: restart here.
        checkout.awaitStatus(
            "waiting at step " + index,
            s ->
                s.currentStepIndex != null
                    && s.currentStepIndex == index
                    && v2.equals(s.currentPodHash));
        int weightBefore = canaryWeight();
        restartWeir();
        assertThat(checkout.status().currentStepIndex).isEqualTo(index);
        assertThat(canaryWeight()).isEqualTo(weightBefore);
        kubelet.thaw();
      } else {
        checkout.awaitStatus(
            "paused at step " + index,
            s -> s.phase == RolloutPhase.Paused && s.currentStepIndex == index);
        int weightBefore = canaryWeight();
        restartWeir();
        checkout.awaitStatus(
            "still paused at step " + index + " after a restart",
            s -> s.phase == RolloutPhase.Paused && s.currentStepIndex == index);
        assertThat(canaryWeight()).isEqualTo(weightBefore);
        kubelet.freeze();
        checkout.promote();
      }
    }
    kubelet.thaw();
    checkout.awaitStatus("promoted", s -> v2.equals(s.stableRS) && s.phase == RolloutPhase.Healthy);
    restartWeir();
    checkout.awaitStatus("still healthy after a restart", s -> s.phase == RolloutPhase.Healthy);

    assertThat(recorder.shares()).isSorted().startsWith(0).endsWith(100);
    assertThat(recorder.shares()).containsSubsequence(0, 10, 30, 60, 100);
    assertThat(checkout.eventReasons().stream().filter("Promoted"::equals)).hasSize(1);
    assertThat(checkout.status().stableRS).isEqualTo(v2).isNotEqualTo(v1);
  }

  @Test
  void anInvalidSpecIsReportedByFieldAndChangesNothing() {
    givenStableV1();
    String v2 = whenV2PausesAtTenPercent();
    var replicasBefore = checkout.replicasByRevision();

    checkout.edit(
        r -> {
          r.getSpec().strategy.canary.trafficRouting.istio.virtualService.routes =
              List.of("missing");
          return r;
        });
    var invalid =
        checkout.awaitStatus(
            "InvalidSpec reported",
            s -> s.phase == RolloutPhase.Degraded && checkout.condition("InvalidSpec"));
    assertThat(invalid.message)
        .contains("spec.strategy.canary.trafficRouting.istio.virtualService.routes[0]")
        .contains("'missing'");
    assertThat(canaryWeight()).isEqualTo(10);
    assertThat(checkout.replicasByRevision()).isEqualTo(replicasBefore);
    assertThat(invalid.currentPodHash).isEqualTo(v2);
    assertThat(checkout.eventReasons()).contains("InvalidSpec");

    checkout.edit(
        r -> {
          r.getSpec().strategy.canary.trafficRouting.istio.virtualService.routes =
              List.of("primary");
          return r;
        });
    checkout.awaitStatus(
        "valid again, still at the manual pause",
        s ->
            s.phase == RolloutPhase.Paused
                && s.currentStepIndex == 1
                && !checkout.condition("InvalidSpec"));
  }

  @Test
  void pauseHoldsTheStepAndResumeContinues() {
    givenStableV1();
    String v2 = whenV2PausesAtTenPercent();
    checkout.pause(true);
    checkout.awaitStatus(
        "paused by spec.paused",
        s -> s.pauseConditions.stream().anyMatch(p -> "UserPause".equals(p.reason)));
    checkout.promote();
    checkout.awaitStatus(
        "held by spec.paused after the promote",
        s ->
            s.phase == RolloutPhase.Paused
                && checkout.condition("Paused")
                && s.currentStepIndex == 2
                && s.pauseConditions.stream().anyMatch(p -> "UserPause".equals(p.reason)));
    // The promote ended the manual pause, but the 30 % step does not begin while paused.
    assertThat(canaryWeight()).isEqualTo(10);
    assertThat(checkout.replicasByRevision()).containsEntry(v2, 1);

    checkout.pause(false);
    checkout.awaitStatus(
        "promoted after resume", s -> v2.equals(s.stableRS) && s.phase == RolloutPhase.Healthy);
  }

  @Test
  void promoteFullSkipsTheRemainingSteps() {
    givenStableV1();
    String v2 = whenV2PausesAtTenPercent();
    checkout.promoteFull();
    checkout.awaitStatus("promoted", s -> v2.equals(s.stableRS) && s.phase == RolloutPhase.Healthy);
    assertThat(checkout.eventReasons()).contains("PromotedFull", "Promoted");
    assertThat(checkout.eventReasons().stream().filter("WeightSet"::equals)).hasSize(1);
  }

  @Test
  void aCanaryThatNeverBecomesReadyAbortsAtTheProgressDeadline() {
    givenStableV1(
        r -> {
          r.getSpec().progressDeadlineSeconds = 2;
          r.getSpec().progressDeadlineAbort = true;
        });
    String v1 = checkout.status().stableRS;
    kubelet.neverReady(Kubelet.image(V2));
    checkout.setImage(V2);
    var aborted =
        checkout.awaitStatus(
            "aborted at the deadline",
            s -> s.phase == RolloutPhase.Degraded && Boolean.TRUE.equals(s.abort));
    assertThat(aborted.message).contains("progressDeadlineSeconds");
    assertThat(aborted.stableRS).isEqualTo(v1);
    assertThat(canaryWeight()).isZero();
    assertThat(checkout.replicasByRevision()).containsEntry(v1, 5);
  }

  @Test
  void withoutAMeshTheCanaryShareIsItsShareOfThePods() {
    var client = client();
    Manifests.apply(client, "examples/canary-istio/namespace.yaml");
    kubelet = kubelet(client).start();
    weir = startWeir();
    var rollout = Manifests.load("examples/canary-basic/rollout.yaml", Rollout.class);
    rollout.getSpec().strategy.canary.steps.get(3).pause.duration = new IntOrString("1s");
    client.resource(rollout).create();
    var catalog = new RolloutScenario(client, "shop", "catalog");
    String v1 = catalog.awaitStatus("v1 healthy", s -> s.phase == RolloutPhase.Healthy).stableRS;

    catalog.setImage("registry.example/catalog:1.1.0");
    var paused =
        catalog.awaitStatus(
            "paused at 25 %", s -> s.phase == RolloutPhase.Paused && s.currentStepIndex == 1);
    String v2 = paused.currentPodHash;
    assertThat(catalog.replicasByRevision()).containsEntry(v1, 3).containsEntry(v2, 1);
    catalog.awaitStatus("a quarter of the available pods are v2", s -> s.verifiedWeight == 25);

    catalog.promote();
    catalog.awaitStatus("promoted", s -> v2.equals(s.stableRS) && s.phase == RolloutPhase.Healthy);
    assertThat(catalog.replicasByRevision()).containsEntry(v1, 0).containsEntry(v2, 4);
  }

  @Test
  void aSubsetLevelSplitPinsTheDestinationRuleSubsets() {
    var client = client();
    Manifests.apply(client, "examples/canary-istio/namespace.yaml");
    Manifests.apply(client, "examples/canary-istio-subsets/service.yaml");
    Manifests.apply(client, "examples/canary-istio-subsets/destinationrule.yaml");
    Manifests.apply(client, "examples/canary-istio-subsets/virtualservice.yaml");
    kubelet = kubelet(client).start();
    weir = startWeir();
    Manifests.apply(client, "examples/canary-istio-subsets/rollout.yaml");
    var payments = new RolloutScenario(client, "shop", "payments");
    String v1 = payments.awaitStatus("v1 healthy", s -> s.phase == RolloutPhase.Healthy).stableRS;
    assertThat(payments.subsetHash("payments", "stable")).isEqualTo(v1);
    assertThat(payments.subsetHash("payments", "canary")).isEqualTo(v1);

    payments.setImage("registry.example/payments:3.2.0");
    String v2 =
        payments.awaitStatus(
                "paused at 20 %", s -> s.phase == RolloutPhase.Paused && s.currentStepIndex == 1)
            .currentPodHash;
    assertThat(payments.subsetWeight("payments", "primary", "canary")).isEqualTo(20);
    assertThat(payments.subsetWeight("payments", "primary", "stable")).isEqualTo(80);
    assertThat(payments.subsetHash("payments", "canary")).isEqualTo(v2);
    assertThat(payments.subsetHash("payments", "stable")).isEqualTo(v1);
    assertThat(payments.replicasByRevision()).containsEntry(v1, 3).containsEntry(v2, 1);

    payments.promoteFull();
    payments.awaitStatus("promoted", s -> v2.equals(s.stableRS) && s.phase == RolloutPhase.Healthy);
    assertThat(payments.subsetHash("payments", "stable")).isEqualTo(v2);
    assertThat(payments.subsetWeight("payments", "primary", "canary")).isZero();
  }

  void restartWeir() {
    weir.close();
    weir = startWeir();
  }
}
