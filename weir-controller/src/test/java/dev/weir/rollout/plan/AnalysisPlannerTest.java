package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.V3;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.pauseStep;
import static dev.weir.rollout.plan.PlannerFixtures.steps;
import static dev.weir.rollout.plan.PlannerFixtures.weightStep;
import static dev.weir.rollout.plan.PlannerFixtures.withAnalysisStep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.AnalysisErrorPolicy;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisTemplateRef;
import dev.weir.api.v1alpha1.BackgroundAnalysis;
import dev.weir.api.v1alpha1.RolloutAnalysisSettings;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.rollout.plan.Action.StartAnalysis;
import dev.weir.rollout.plan.Action.TerminateAnalysis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planner's side of analysis, on the {@link SimulatedCluster}: each story sets the verdict of a
 * run and reads what a user would see. The spec is the classic canary with its steps replaced: 20
 * %, an analysis, 50 %, then promotion; v1 stable, v2 released.
 */
class AnalysisPlannerTest {

  /** v1 stable, then v2 declared and carried to its analysis step. */
  private static SimulatedCluster v2AtItsAnalysis(RolloutSpec spec) {
    return SimulatedCluster.stableOn(spec, V1).declare(V2).reconcile();
  }

  @Test
  void anAnalysisStepStartsOneRunAndWaitsForItsVerdict() {
    var cluster = v2AtItsAnalysis(withAnalysisStep());

    assertThat(cluster.status.currentStepIndex).isEqualTo(1);
    assertThat(cluster.weight).isEqualTo(20);
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Progressing);
    assertThat(cluster.status.stepAnalysisRun.name).isEqualTo("checkout-v2-1-step-1");
    assertThat(cluster.actions())
        .filteredOn(StartAnalysis.class::isInstance)
        .containsExactly(new StartAnalysis("checkout-v2-1-step-1", AnalysisSite.step(1), V2, V1));
    assertThat(cluster.events).extracting(e -> e.reason().name()).contains("AnalysisRunStarted");

    cluster.reconcile();
    assertThat(cluster.runs).as("waiting starts nothing more").hasSize(1);
  }

  @Test
  void aSuccessfulRunEndsTheStepAndTheReleaseGoesOn() {
    var cluster = v2AtItsAnalysis(withAnalysisStep());

    cluster.verdict("step-1", AnalysisPhase.Successful, "all metrics passed").reconcile();

    assertThat(cluster.status.stableRS).as("promoted after 50 %").isEqualTo(V2);
    assertThat(cluster.status.stepAnalysisRun).isNull();
    assertThat(cluster.events)
        .extracting(e -> e.reason().name())
        .contains("AnalysisPassed", "Promoted");
    assertThat(cluster.violations).isEmpty();
  }

  @Test
  void aFailedRunAbortsTrafficFirstAndSaysWhichMetric() {
    var cluster = v2AtItsAnalysis(withAnalysisStep());

    cluster
        .verdict("step-1", AnalysisPhase.Failed, "metric success-rate: 2 failed measurement(s)")
        .reconcile();

    assertThat(cluster.status.abort).isTrue();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(cluster.status.abortMessage)
        .contains("checkout-v2-1-step-1", "failed", "metric success-rate");
    assertThat(cluster.weight).isZero();
    assertThat(cluster.status.stableRS).isEqualTo(V1);
    assertThat(cluster.violations).isEmpty();
    int weightBack = cluster.indexOf(new SetWeight(0));
    assertThat(cluster.actions().subList(0, weightBack))
        .as("nothing scales the canary down before the weight is back")
        .noneMatch(a -> a instanceof ScaleRevision s && s.hash().equals(V2));
  }

  @Test
  void anErrorAbortsByDefaultAndPausesWhenThePolicySaysSo() {
    var aborting = v2AtItsAnalysis(withAnalysisStep());
    aborting
        .verdict("step-1", AnalysisPhase.Error, "metric success-rate: 5 errors in a row")
        .reconcile();
    assertThat(aborting.status.abort).isTrue();
    assertThat(aborting.status.abortMessage).contains("ended in Error", "5 errors in a row");

    var spec = withAnalysisStep();
    spec.analysis = new RolloutAnalysisSettings();
    spec.analysis.onError = AnalysisErrorPolicy.Pause;
    var pausing = v2AtItsAnalysis(spec);
    pausing
        .verdict("step-1", AnalysisPhase.Error, "metric success-rate: 5 errors in a row")
        .reconcile();
    assertThat(pausing.status.abort).isNull();
    assertThat(pausing.status.phase).isEqualTo(RolloutPhase.Paused);
    assertThat(pausing.status.pauseConditions)
        .extracting(p -> p.reason)
        .containsExactly("AnalysisError");
    assertThat(pausing.weight).isEqualTo(20);
  }

  @Test
  void anInconclusiveRunPausesUntilAPromoteAcceptsIt() {
    var cluster = v2AtItsAnalysis(withAnalysisStep());

    cluster
        .verdict(
            "step-1", AnalysisPhase.Inconclusive, "too few samples to judge: 3 < minSamples 20")
        .reconcile();
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);
    assertThat(cluster.status.message).contains("inconclusive", "too few samples");
    assertThat(cluster.status.pauseConditions)
        .extracting(p -> p.reason)
        .containsExactly("InconclusiveAnalysis");
    assertThat(cluster.status.abort).isNull();
    assertThat(cluster.weight).isEqualTo(20);

    cluster.promote().reconcile();
    assertThat(cluster.status.stableRS).as("accepted: the release went on").isEqualTo(V2);
    assertThat(cluster.events).extracting(e -> e.reason().name()).contains("AnalysisAccepted");
  }

  private static RolloutSpec withBackground() {
    var spec = classicSpec();
    spec.strategy.canary.steps = steps(weightStep(20), pauseStep(), weightStep(50), pauseStep());
    spec.strategy.canary.analysis = new BackgroundAnalysis();
    spec.strategy.canary.analysis.startingStep = 1;
    spec.strategy.canary.analysis.templates =
        List.of(new AnalysisTemplateRef("istio-error-budget-burn"));
    return spec;
  }

  @Test
  void backgroundAnalysisStartsAtItsStepAndItsFailureAbortsDuringAPause() {
    var cluster = v2AtItsAnalysis(withBackground());
    assertThat(cluster.status.currentStepIndex).isEqualTo(1);
    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Paused);
    assertThat(cluster.status.backgroundAnalysisRun.name).isEqualTo("checkout-v2-1-background");

    cluster
        .verdict("background", AnalysisPhase.Failed, "metric error-budget-burn: 1 failed")
        .reconcile();

    assertThat(cluster.status.abort).isTrue();
    assertThat(cluster.status.abortMessage).contains("background analysis", "error-budget-burn");
    assertThat(cluster.weight).isZero();
  }

  @Test
  void anInconclusiveBackgroundRunIsReplacedOnPromoteWithoutSkippingTheStep() {
    var cluster = v2AtItsAnalysis(withBackground());
    cluster.verdict("background", AnalysisPhase.Inconclusive, "no data").reconcile();
    assertThat(cluster.status.pauseConditions)
        .extracting(p -> p.reason)
        .contains("InconclusiveAnalysis");

    cluster.promote().reconcile();

    assertThat(cluster.status.currentStepIndex).as("the pause step is not skipped").isEqualTo(1);
    assertThat(cluster.status.backgroundAnalysisRun.name).isEqualTo("checkout-v2-2-background");
    assertThat(cluster.status.pauseConditions)
        .extracting(p -> p.reason)
        .containsExactly("CanaryPauseStep");
  }

  @Test
  void promotionTerminatesTheBackgroundRun() {
    var cluster = v2AtItsAnalysis(withBackground());

    cluster.promoteFull().reconcile();

    assertThat(cluster.status.stableRS).isEqualTo(V2);
    assertThat(cluster.actions())
        .filteredOn(TerminateAnalysis.class::isInstance)
        .singleElement()
        .satisfies(a -> assertThat(((TerminateAnalysis) a).reason()).contains(V2, "promoted"));
  }

  @Test
  void aNewRevisionTerminatesTheRunsOfTheOneItSupersedes() {
    var cluster = v2AtItsAnalysis(withAnalysisStep());

    cluster.declare(V3).reconcile();

    assertThat(cluster.actions())
        .filteredOn(TerminateAnalysis.class::isInstance)
        .singleElement()
        .satisfies(
            a -> {
              var t = (TerminateAnalysis) a;
              assertThat(t.name()).isEqualTo("checkout-v2-1-step-1");
              assertThat(t.reason()).contains("no longer the declared one");
            });
    assertThat(cluster.status.stepAnalysisRun.name).isEqualTo("checkout-v3-1-step-1");
  }

  @Test
  void finishedRunsBeyondTheHistoryLimitsAreDeletedOldestFirst() {
    var spec = withAnalysisStep();
    spec.analysis = new RolloutAnalysisSettings();
    spec.analysis.successfulRunHistoryLimit = 1;
    var cluster = SimulatedCluster.stableOn(spec, V1);
    for (String revision : List.of(V2, V3, "v4")) {
      cluster.declare(revision).reconcile();
      cluster.advance(Duration.ofMinutes(1));
      cluster.verdict("step-1", AnalysisPhase.Successful, "all metrics passed").reconcile();
      cluster.advance(Duration.ofMinutes(1));
    }

    assertThat(cluster.runs.keySet()).containsExactly("checkout-v4-1-step-1");
  }

  @Test
  void templateProblemsAreAnInvalidSpecThatChangesNothing() {
    var cluster = SimulatedCluster.stableOn(withAnalysisStep(), V1);
    cluster.analysisProblems =
        List.of(
            new SpecProblem(
                "spec.strategy.canary.steps[1].analysis.templates[0]",
                "AnalysisTemplate istio-success-rate not found in namespace shop"));
    cluster.declare(V2);
    int before = cluster.actions().size();

    cluster.reconcile();

    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(cluster.status.message)
        .contains("steps[1].analysis.templates[0]", "istio-success-rate not found");
    assertThat(cluster.actions()).hasSize(before);
    assertThat(cluster.runs).isEmpty();
  }
}
