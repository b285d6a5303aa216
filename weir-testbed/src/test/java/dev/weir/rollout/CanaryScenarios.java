package dev.weir.rollout;

import static dev.weir.testing.ClassicCanary.V1;
import static dev.weir.testing.ClassicCanary.V2;
import static dev.weir.testing.ClassicCanary.V3;
import static dev.weir.testing.RolloutAssert.assertThatRollout;
import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPause;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.testing.ClassicCanary;
import dev.weir.testing.Kubelet;
import dev.weir.testing.Manifests;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.Tier;
import dev.weir.testing.TrafficRecorder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The canary stories: the classic example of examples/canary-istio (5 replicas, 10 % → manual pause
 * → 30 % → pause → 60 % → pause, route `primary`), with its timed pauses and scale-down delays
 * shortened to a second ({@link ClassicCanary}).
 */
abstract class CanaryScenarios extends ReleaseStories {

  CanaryScenarios(Tier tier) {
    super(tier);
  }

  /** Given the example's Services and VirtualService, and v1 of the rollout stable and healthy. */
  void givenStableV1(Consumer<Rollout> adjust) {
    startKubeletAndWeir(Optional.empty(), 0);
    checkout = ClassicCanary.givenStableV1(client(), adjust);
  }

  void givenStableV1() {
    givenStableV1(r -> {});
  }

  /** When v2 is applied, it stops at the manual pause with 10 % of the traffic. */
  String whenV2PausesAtTenPercent() {
    return ClassicCanary.whenV2PausesAtTenPercent(checkout);
  }

  @Test
  void v2GoesThroughEveryStepAndIsPromoted() {
    givenStableV1();
    String v1 = checkout.status().stableRS;
    assertThatRollout(checkout).hasServiceSelecting("checkout-stable", v1).hasCondition("Ready");

    String v2 = whenV2PausesAtTenPercent();

    assertThat(v2).isNotEqualTo(v1);
    assertThatRollout(checkout)
        .hasReplicas(v1, 5)
        .hasReplicas(v2, 1)
        .hasServiceSelecting("checkout-canary", v2)
        .hasServiceSelecting("checkout-stable", v1)
        .hasCondition("Reconciling");

    checkout.promote();

    awaitRollout(checkout, "v2 promoted and healthy", r -> r.isHealthyOn(v2));
    assertThatRollout(checkout)
        .hasDoneEveryStep()
        .hasServiceSelecting("checkout-stable", v2)
        .withCanaryWeight(0);
    awaitRollout(
        checkout, "old stable scaled down after scaleDownDelaySeconds", r -> r.hasReplicas(v1, 0));
    assertThatRollout(checkout)
        .hasReplicas(v2, 5)
        .hasCondition("Completed")
        .recordedInOrder(
            "NewRevision", "WeightSet", "StepPromoted", "WeightSet", "WeightSet", "Promoted");
  }

  @Test
  void abortSendsAllTrafficToStableThenScalesTheCanaryDown() {
    givenStableV1();
    String v1 = checkout.status().stableRS;
    String v2 = whenV2PausesAtTenPercent();

    checkout.abort();

    awaitRollout(checkout, "aborted", r -> r.isAborted());
    assertThatRollout(checkout)
        .isAbortedBackTo(v1)
        .declares(v2)
        .withCanaryWeight(0)
        .hasCondition("Aborted", "Stalled");
    awaitRollout(
        checkout, "canary scaled down after abortScaleDownDelaySeconds", r -> r.hasReplicas(v2, 0));
    assertThatRollout(checkout)
        .hasReplicas(v1, 5)
        .hasServiceSelecting("checkout-stable", v1)
        .recorded("Aborted");

    // The mock API server does not check resourceVersions, so a request sent while Weir is still
    // writing could be lost there; a user would also wait for the abort to settle.
    checkout.awaitStatus("abort settled", s -> s.updatedReplicas != null && s.updatedReplicas == 0);
    checkout.retry();

    checkout.awaitStatus(
        "retried from step 0 back to the manual pause",
        s -> s.phase == RolloutPhase.Paused && s.currentStepIndex == 1 && s.abortedAt == null);
    assertThatRollout(checkout).withCanaryWeight(10).hasReplicas(v2, 1).recorded("Retried");
  }

  @Test
  void aNewRevisionMidRolloutSupersedesTheOneInProgress() {
    givenStableV1();
    String v1 = checkout.status().stableRS;
    String v2 = whenV2PausesAtTenPercent();

    checkout.setImage(V3);

    String v3 =
        checkout.awaitStatus(
                "v3 at the manual pause",
                s ->
                    s.phase == RolloutPhase.Paused
                        && s.currentStepIndex == 1
                        && !v2.equals(s.currentPodHash))
            .currentPodHash;
    assertThatRollout(checkout)
        .hasStable(v1)
        .withCanaryWeight(10)
        .hasServiceSelecting("checkout-canary", v3);
    awaitRollout(checkout, "superseded canary scaled down", r -> r.hasReplicas(v2, 0));
    assertThatRollout(checkout).hasReplicas(v1, 5).hasReplicas(v3, 1).recorded("Superseded");
  }

  @Test
  void goingBackToTheStableTemplateIsAnInstantRollback() {
    givenStableV1();
    String v1 = checkout.status().stableRS;
    String v2 = whenV2PausesAtTenPercent();

    checkout.setImage(V1);

    awaitRollout(checkout, "healthy on v1 again", r -> r.isHealthy().declares(v1));
    assertThatRollout(checkout)
        .hasStable(v1)
        .withCanaryWeight(0)
        .hasServiceSelecting("checkout-canary", v1);
    awaitRollout(checkout, "canary scaled down", r -> r.hasReplicas(v2, 0));
    assertThatRollout(checkout).recorded("RolledBack").neverRecorded("Promoted");
  }

  @Test
  void aGitOpsSyncThatResetsTheWeightsIsCorrectedAndNeverPromotes() {
    givenStableV1();
    String v1 = checkout.status().stableRS;
    String v2 = whenV2PausesAtTenPercent();

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

    // The Event is written after the weights in the same reconcile: wait for both. The two
    // Services are reset one after the other, so the second may be restored by a later reconcile.
    awaitRollout(
        checkout,
        "weight and selectors restored",
        r ->
            r.isPausedAtStep(2)
                .withCanaryWeight(10)
                .hasServiceSelecting("checkout-stable", v1)
                .hasServiceSelecting("checkout-canary", v2)
                .recorded("WeightRestored"));
    assertThatRollout(checkout)
        .isPausedAtStep(2)
        .hasStable(v1)
        .recorded("WeightRestored")
        .neverRecorded("Promoted");
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
            "waiting at step " + (index + 1),
            s ->
                s.currentStepIndex != null
                    && s.currentStepIndex == index
                    && v2.equals(s.currentPodHash));
        int weightBefore = checkout.canaryWeight();
        restartWeir();
        assertThat(checkout.status().currentStepIndex).isEqualTo(index);
        assertThatRollout(checkout).withCanaryWeight(weightBefore);
        kubelet.thaw();
      } else {
        awaitRollout(checkout, "paused at step " + (index + 1), r -> r.isPausedAtStep(index + 1));
        int weightBefore = checkout.canaryWeight();
        restartWeir();
        awaitRollout(
            checkout,
            "still paused at step " + (index + 1) + " after a restart",
            r -> r.isPausedAtStep(index + 1));
        assertThatRollout(checkout).withCanaryWeight(weightBefore);
        kubelet.freeze();
        checkout.promote();
      }
    }
    kubelet.thaw();
    awaitRollout(checkout, "promoted", r -> r.isHealthyOn(v2));
    restartWeir();
    awaitRollout(checkout, "still healthy after a restart", r -> r.isHealthy());

    assertThat(recorder.shares()).isSorted().startsWith(0).endsWith(100);
    assertThat(recorder.shares()).containsSubsequence(0, 10, 30, 60, 100);
    assertThatRollout(checkout).recordedOnce("Promoted").hasStable(v2);
    assertThat(v2).isNotEqualTo(v1);
  }

  @Test
  void anInvalidSpecIsReportedByFieldAndChangesNothing() {
    givenStableV1();
    String v2 = whenV2PausesAtTenPercent();
    var replicasBefore = checkout.replicasByRevision();

    whenTheRolloutNamesRoute("missing");

    checkout.awaitStatus(
        "InvalidSpec reported",
        s -> s.phase == RolloutPhase.Degraded && checkout.condition("InvalidSpec"));
    assertThatRollout(checkout)
        .saying("spec.strategy.canary.trafficRouting.istio.virtualService.routes[0]", "'missing'")
        .declares(v2)
        .recorded("InvalidSpec");
    // The spec names a route that does not exist; the one it named before keeps its weight.
    assertThat(checkout.canaryWeight("checkout", "primary", "checkout-canary")).isEqualTo(10);
    assertThat(checkout.replicasByRevision()).isEqualTo(replicasBefore);

    whenTheRolloutNamesRoute("primary");

    checkout.awaitStatus(
        "valid again, still at the manual pause",
        s ->
            s.phase == RolloutPhase.Paused
                && s.currentStepIndex == 1
                && !checkout.condition("InvalidSpec"));
  }

  /** A commit that changes the route of the VirtualService the rollout splits traffic on. */
  void whenTheRolloutNamesRoute(String route) {
    checkout.edit(
        r -> {
          r.getSpec().strategy.canary.trafficRouting.istio.virtualService.routes = List.of(route);
          return r;
        });
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
    assertThatRollout(checkout).withCanaryWeight(10).hasReplicas(v2, 1);

    checkout.pause(false);

    awaitRollout(checkout, "promoted after resume", r -> r.isHealthyOn(v2));
  }

  @Test
  void promoteFullSkipsTheRemainingSteps() {
    givenStableV1();
    String v2 = whenV2PausesAtTenPercent();

    checkout.promoteFull();

    awaitRollout(checkout, "promoted", r -> r.isHealthyOn(v2));
    assertThatRollout(checkout).recorded("PromotedFull", "Promoted").recordedOnce("WeightSet");
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

    awaitRollout(checkout, "aborted at the deadline", r -> r.isAborted());
    assertThatRollout(checkout)
        .isAbortedBackTo(v1)
        .saying("progressDeadlineSeconds")
        .withCanaryWeight(0)
        .hasReplicas(v1, 5);
  }

  @Test
  void withoutAMeshTheCanaryShareIsItsShareOfThePods() {
    startKubeletAndWeir(Optional.empty(), 0);
    Manifests.apply(client(), "examples/canary-istio/namespace.yaml");
    var rollout = Manifests.load("examples/canary-basic/rollout.yaml", Rollout.class);
    rollout.getSpec().strategy.canary.steps.get(3).pause.duration = new IntOrString("1s");
    client().resource(rollout).create();
    var catalog = new RolloutScenario(client(), "shop", "catalog");
    String v1 = awaitRollout(catalog, "v1 healthy", r -> r.isHealthy()).stableRS;

    catalog.setImage("registry.example/catalog:1.1.0");

    String v2 = awaitRollout(catalog, "paused at 25 %", r -> r.isPausedAtStep(2)).currentPodHash;
    assertThatRollout(catalog).hasReplicas(v1, 3).hasReplicas(v2, 1);
    catalog.awaitStatus("a quarter of the available pods are v2", s -> s.verifiedWeight == 25);

    catalog.promote();

    awaitRollout(catalog, "promoted", r -> r.isHealthyOn(v2));
    assertThatRollout(catalog).hasReplicas(v1, 0).hasReplicas(v2, 4);
  }

  @Test
  void aSubsetLevelSplitPinsTheDestinationRuleSubsets() {
    startKubeletAndWeir(Optional.empty(), 0);
    Manifests.apply(client(), "examples/canary-istio/namespace.yaml");
    Manifests.apply(client(), "examples/canary-istio-subsets/service.yaml");
    Manifests.apply(client(), "examples/canary-istio-subsets/destinationrule.yaml");
    Manifests.apply(client(), "examples/canary-istio-subsets/virtualservice.yaml");
    Manifests.apply(client(), "examples/canary-istio-subsets/rollout.yaml");
    var payments = new RolloutScenario(client(), "shop", "payments");
    String v1 = awaitRollout(payments, "v1 healthy", r -> r.isHealthy()).stableRS;
    assertThat(payments.subsetHash("payments", "stable")).isEqualTo(v1);
    assertThat(payments.subsetHash("payments", "canary")).isEqualTo(v1);

    payments.setImage("registry.example/payments:3.2.0");

    String v2 = awaitRollout(payments, "paused at 20 %", r -> r.isPausedAtStep(2)).currentPodHash;
    assertThatRollout(payments).withCanaryWeight(20).hasReplicas(v1, 3).hasReplicas(v2, 1);
    assertThat(payments.subsetWeight("payments", "primary", "stable")).isEqualTo(80);
    assertThat(payments.subsetHash("payments", "canary")).isEqualTo(v2);
    assertThat(payments.subsetHash("payments", "stable")).isEqualTo(v1);

    payments.promoteFull();

    awaitRollout(payments, "promoted", r -> r.isHealthyOn(v2));
    assertThat(payments.subsetHash("payments", "stable")).isEqualTo(v2);
    assertThatRollout(payments).withCanaryWeight(0);
  }
}
