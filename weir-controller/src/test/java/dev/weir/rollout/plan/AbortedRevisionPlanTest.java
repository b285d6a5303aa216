package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.V3;
import static dev.weir.rollout.plan.PlannerFixtures.canaryV2At;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.json;
import static dev.weir.rollout.plan.PlannerFixtures.plan;
import static dev.weir.rollout.plan.PlannerFixtures.reasonOf;
import static dev.weir.rollout.plan.PlannerFixtures.releasingV2;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.status;
import static dev.weir.rollout.plan.PlannerFixtures.statusOf;
import static dev.weir.rollout.plan.PlannerFixtures.steadyOnV1;
import static dev.weir.rollout.plan.PlannerFixtures.trafficBackOnV1;
import static dev.weir.rollout.plan.PlannerFixtures.withAnalysisStep;
import static dev.weir.rollout.plan.PlannerRow.asksFor;
import static dev.weir.rollout.plan.PlannerRow.asksForNothing;
import static dev.weir.rollout.plan.PlannerRow.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.AbortedRevision;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.rollout.plan.Action.StartAnalysis;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * An aborted revision stays aborted: status remembers it after its release is over, and a sync that
 * declares its template again (after going back to stable, or over another release) does not start
 * that release again. The rollout stays on stable, Degraded with reason RevisionAborted, saying
 * which revision and how to go on; {@code kubectl weir retry} releases it, another template is
 * released as usual. The spec is examples/canary-istio (5 replicas; steps 10 %, pause, 30 %, pause
 * 2m, 60 %, pause 2m); v1 is stable.
 */
class AbortedRevisionPlanTest {

  static final Instant ABORTED = NOW.minusSeconds(600);

  /** v1 stable and healthy, v2 aborted ten minutes ago and since reverted in git. */
  private static PlannerFixtures.StatusBuilder healthyOnV1AfterV2Aborted() {
    return status()
        .steadyOn(V1)
        .atStep(6)
        .weight(0)
        .phase(RolloutPhase.Healthy)
        .abortedBefore(V2, ABORTED);
  }

  /** A sync declares v2 again over the healthy v1. */
  private static Plan v2DeclaredAgain() {
    return plan(healthyOnV1AfterV2Aborted(), trafficBackOnV1());
  }

  @Test
  void aTemplateEqualToAnAbortedRevisionIsHeldOnStable() {
    var plan = v2DeclaredAgain();

    expect(
        plan,
        asksForNothing().phase(RolloutPhase.Degraded).step(0).weight(0).events("RevisionAborted"));
    var status = plan.status();
    assertThat(status.currentPodHash).isEqualTo(V2);
    assertThat(status.stableRS).isEqualTo(V1);
    assertThat(status.abort).isTrue();
    assertThat(reasonOf(status, StatusConditions.STALLED)).isEqualTo("RevisionAborted");
    assertThat(reasonOf(status, StatusConditions.READY)).isEqualTo("RevisionAborted");
    assertThat(statusOf(status, StatusConditions.ABORTED)).isEqualTo("True");
    assertThat(status.message)
        .contains("revision v2 was aborted at " + ABORTED)
        .contains("AnalysisFailed: metric success-rate = 0.8, AnalysisRun checkout-v2-2-step-2")
        .contains("`kubectl weir retry checkout` releases it, a new commit declares another")
        .endsWith("all traffic on stable");
    assertThat(plan.events().get(0).reason().warning()).isTrue();
    assertThat(status.abortedRevisions)
        .as("the record is the abort's, not the hold's")
        .singleElement()
        .satisfies(r -> assertThat(r.abortedAt).isEqualTo(ABORTED.toString()));
  }

  @Test
  void aHeldRevisionIsSaidOnceAndItsStatusDoesNotChangeFromPassToPass() {
    var first = v2DeclaredAgain();

    var second = plan(first.status(), trafficBackOnV1().build());

    assertThat(second.actions()).isEmpty();
    assertThat(second.events()).isEmpty();
    assertThat(json(second.status())).isEqualTo(json(first.status()));
  }

  @Test
  void declaredOverAReleaseInProgressItSupersedesItAndMovesTrafficToStableFirst() {
    var given = releasingV2().atStep(2).weight(10).abortedBefore(V3, ABORTED);
    var seen = canaryV2At(10).declared(V3).revisions(revision(V2).replicas(1).available(1));

    var plan = plan(given, seen);

    expect(
        plan,
        asksFor(new SetWeight(0))
            .phase(RolloutPhase.Degraded)
            .step(0)
            .weight(0)
            .events("Superseded", "RevisionAborted"));
    assertThat(reasonOf(plan.status(), StatusConditions.STALLED)).isEqualTo("RevisionAborted");
  }

  @Test
  void aDifferentTemplateIsReleasedAsUsualAndTheRecordIsKept() {
    var plan = plan(healthyOnV1AfterV2Aborted(), steadyOnV1().declared(V3));

    expect(
        plan,
        asksFor(new Pin(Side.CANARY, V3))
            .phase(RolloutPhase.Progressing)
            .step(0)
            .weight(0)
            .events("NewRevision"));
    assertThat(plan.status().abortedRevisions)
        .extracting(r -> r.podTemplateHash)
        .containsExactly(V2);
  }

  @Test
  void aRetryOfAHeldRevisionReleasesItFromStepZeroAndForgetsItsAbort() {
    var held = v2DeclaredAgain().status();
    held.abort = false;

    var plan = plan(held, trafficBackOnV1().build());

    expect(
        plan,
        asksFor(new Pin(Side.CANARY, V2))
            .phase(RolloutPhase.Progressing)
            .step(0)
            .weight(0)
            .events("Retried"));
    assertThat(plan.status().abortedRevisions).isEmpty();
    assertThat(plan.status().abortedAt).isNull();
    assertThat(statusOf(plan.status(), StatusConditions.ABORTED)).isEqualTo("False");
  }

  @Test
  void goingBackToStableKeepsTheRecord() {
    var given = releasingV2().atStep(2).weight(0).abortedAt(ABORTED).abortedBefore(V2, ABORTED);

    var plan = plan(given, steadyOnV1());

    expect(plan, asksForNothing().phase(RolloutPhase.Healthy).step(6).events("RolledBack"));
    assertThat(plan.status().abortedRevisions).extracting(r -> r.podTemplateHash).contains(V2);
    assertThat(plan.status().abort).isNull();
  }

  // ---------------------------------------------------------------------------------------------
  // What is recorded

  @Test
  void anAbortRequestedByAUserIsRecordedWithItsTemplateAndTime() {
    var plan =
        plan(
            releasingV2().atStep(2).weight(10).abortRequested(),
            canaryV2At(10).revisions(revision(V2).replicas(1).available(1)));

    var recorded = only(plan.status());
    assertThat(recorded.podTemplateHash).isEqualTo(V2);
    assertThat(recorded.reason).isEqualTo("Aborted");
    assertThat(recorded.abortedAt).isEqualTo(NOW.toString());
    assertThat(recorded.message).isEqualTo(plan.status().abortMessage);
    assertThat(recorded.images)
        .containsExactlyElementsOf(
            classicSpec().template.getSpec().getContainers().stream()
                .map(c -> c.getImage())
                .toList());
    assertThat(recorded.analysisRun).isNull();
    assertThat(recorded.metric).isNull();
  }

  @Test
  void anAbortAtTheProgressDeadlineIsRecordedWithThatReason() {
    var spec = classicSpec();
    spec.progressDeadlineAbort = true;
    var plan =
        plan(
            spec,
            releasingV2().atStep(0).weight(0).progressedAt(NOW.minusSeconds(3600)).build(),
            canaryV2At(0).revisions(revision(V2).replicas(1).available(0)).build());

    assertThat(only(plan.status()).reason).isEqualTo("ProgressDeadlineExceeded");
  }

  @Test
  void aFailedAnalysisIsRecordedWithItsRunMetricAndValue() {
    var cluster = SimulatedCluster.stableOn(withAnalysisStep(), V1).declare(V2).reconcile();

    cluster
        .verdict(
            "step-1", AnalysisPhase.Failed, "metric success-rate: failed", "success-rate", "0.8")
        .reconcile();

    var recorded = only(cluster.status);
    assertThat(recorded.reason).isEqualTo("AnalysisFailed");
    assertThat(recorded.analysisRun).isEqualTo("checkout-v2-1-step-1");
    assertThat(recorded.metric).isEqualTo("success-rate");
    assertThat(recorded.value).isEqualTo("0.8");
    assertThat(recorded.message).contains("failed", "metric success-rate");
  }

  @Test
  void theRecordKeepsTheLastTenAbortsNewestFirst() {
    var given = releasingV2().atStep(2).weight(10).abortRequested();
    IntStream.rangeClosed(1, 10)
        .forEach(i -> given.abortedBefore("old" + i, NOW.minusSeconds(1000 - i)));

    var plan = plan(given, canaryV2At(10).revisions(revision(V2).replicas(1).available(1)));

    assertThat(plan.status().abortedRevisions)
        .extracting(r -> r.podTemplateHash)
        .hasSize(AbortedRevisions.LIMIT)
        .startsWith(V2, "old10", "old9")
        .doesNotContain("old1");
  }

  @Test
  void aRevisionAbortedAgainHasOneRecordOfItsLatestAbort() {
    var given = releasingV2().atStep(2).weight(10).abortRequested().abortedBefore(V2, ABORTED);

    var plan = plan(given, canaryV2At(10).revisions(revision(V2).replicas(1).available(1)));

    assertThat(only(plan.status()).abortedAt).isEqualTo(NOW.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // The story, as GitOps drives it

  @Test
  void givenV2AbortedByItsAnalysisWhenASyncDeclaresV1ThenV2AgainThenV2IsHeldUntilRetried() {
    var cluster = SimulatedCluster.stableOn(withAnalysisStep(), V1).declare(V2).reconcile();
    cluster
        .verdict(
            "step-1", AnalysisPhase.Failed, "metric success-rate: failed", "success-rate", "0.8")
        .reconcile();
    cluster.advance(Duration.ofSeconds(30));
    cluster.reconcile();
    assertThat(cluster.replicas(V2)).as("scaled down after the abort").isZero();

    cluster.declare(V1).reconcile();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Healthy);

    cluster.log.clear();
    cluster.events.clear();
    cluster.declare(V2).reconcile();
    assertThat(cluster.actions())
        .as("no pod of v2, no weight moved")
        .noneMatch(a -> a instanceof ScaleRevision s && s.hash().equals(V2) && s.replicas() > 0)
        .noneMatch(a -> a instanceof SetWeight w && w.canaryWeight() > 0)
        .noneMatch(StartAnalysis.class::isInstance);
    assertThat(cluster.weight).isZero();
    assertThat(cluster.replicas(V2)).isZero();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(reasonOf(cluster.status, StatusConditions.STALLED)).isEqualTo("RevisionAborted");
    assertThat(cluster.events)
        .extracting(e -> e.reason().name())
        .containsExactly("RevisionAborted");

    cluster.retry().reconcile();
    assertThat(cluster.events).extracting(e -> e.reason().name()).contains("Retried");
    assertThat(cluster.weight).as("released again: at its analysis step").isEqualTo(20);
    assertThat(cluster.status.stepAnalysisRun.name)
        .as("a run of its own, not the failed one of its first release")
        .isEqualTo("checkout-v2-2-step-1");
    assertThat(cluster.status.abortedRevisions).isEmpty();

    cluster.declare(V3).reconcile();
    assertThat(cluster.status.currentPodHash).isEqualTo(V3);
    assertThat(cluster.weight).isEqualTo(20);
    assertThat(cluster.status.stepAnalysisRun.name).isEqualTo("checkout-v3-1-step-1");
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void aBlueGreenRevisionAbortedInPreviewIsHeldWithoutAPreviewWhenDeclaredAgain() {
    var cluster =
        SimulatedCluster.stableOn(
                PlannerFixtures.blueGreenSpec(bg -> bg.autoPromotionEnabled = false), V1)
            .declare(V2)
            .reconcile();
    assertThat(cluster.replicas(V2)).as("the preview is up").isEqualTo(5);
    cluster.abort().reconcile().declare(V1).reconcile();
    cluster.advance(Duration.ofSeconds(30));
    cluster.reconcile();
    assertThat(cluster.replicas(V2)).as("scaled down after the rollback").isZero();

    cluster.log.clear();
    cluster.declare(V2).reconcile();

    assertThat(cluster.actions())
        .noneMatch(a -> a instanceof ScaleRevision s && s.hash().equals(V2) && s.replicas() > 0);
    assertThat(cluster.replicas(V2)).isZero();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(reasonOf(cluster.status, StatusConditions.STALLED)).isEqualTo("RevisionAborted");
    assertThat(cluster.status.abortedRevisions)
        .singleElement()
        .satisfies(r -> assertThat(r.reason).isEqualTo("Aborted"));
    assertThat(cluster.violations).isEmpty();
  }

  private static AbortedRevision only(RolloutStatus status) {
    assertThat(status.abortedRevisions).hasSize(1);
    return status.abortedRevisions.get(0);
  }
}
