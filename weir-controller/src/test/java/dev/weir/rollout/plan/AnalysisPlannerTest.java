package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.AnalysisErrorPolicy;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisTemplateRef;
import dev.weir.api.v1alpha1.BackgroundAnalysis;
import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.api.v1alpha1.RolloutAnalysis;
import dev.weir.api.v1alpha1.RolloutAnalysisSettings;
import dev.weir.api.v1alpha1.RolloutPause;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.rollout.plan.Action.StartAnalysis;
import dev.weir.rollout.plan.Action.TerminateAnalysis;
import dev.weir.rollout.plan.CanaryPlannerTest.Cluster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planner's side of analysis, on the simulated cluster of {@link CanaryPlannerTest}: each story
 * sets the verdict of a run and reads what a user would see. The spec is the classic canary with
 * its steps replaced: 20 %, an analysis, 50 %, then promotion; v1 stable, v2 released.
 */
class AnalysisPlannerTest {

  private static RolloutSpec withAnalysisStep() {
    var spec = classicSpec();
    spec.strategy.canary.steps = new ArrayList<>(List.of(weight(20), analysisStep(), weight(50)));
    return spec;
  }

  private static CanaryStep weight(int weight) {
    var step = new CanaryStep();
    step.setWeight = weight;
    return step;
  }

  private static CanaryStep analysisStep() {
    var step = new CanaryStep();
    step.analysis = new RolloutAnalysis();
    step.analysis.templates = List.of(new AnalysisTemplateRef("istio-success-rate"));
    return step;
  }

  private static CanaryStep indefinitePause() {
    var step = new CanaryStep();
    step.pause = new RolloutPause();
    return step;
  }

  /** v1 stable, then v2 declared and carried to its analysis step. */
  private static Cluster v2AtItsAnalysis(RolloutSpec spec) {
    var cluster = new Cluster(spec, "v1").reconcile();
    cluster.template = "v2";
    return cluster.reconcile();
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
        .containsExactly(
            new StartAnalysis("checkout-v2-1-step-1", AnalysisSite.step(1), "v2", "v1"));
    assertThat(cluster.events).extracting(e -> e.reason().name()).contains("AnalysisRunStarted");

    cluster.reconcile();
    assertThat(cluster.runs).as("waiting starts nothing more").hasSize(1);
  }

  @Test
  void aSuccessfulRunEndsTheStepAndTheReleaseGoesOn() {
    var cluster = v2AtItsAnalysis(withAnalysisStep());

    cluster.verdict("step-1", AnalysisPhase.Successful, "all metrics passed").reconcile();

    assertThat(cluster.status.stableRS).as("promoted after 50 %").isEqualTo("v2");
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
    assertThat(cluster.status.stableRS).isEqualTo("v1");
    assertThat(cluster.violations).isEmpty();
    int weightBack = indexOf(cluster, new Action.SetWeight(0));
    assertThat(cluster.actions().subList(0, weightBack))
        .as("nothing scales the canary down before the weight is back")
        .noneMatch(a -> a instanceof Action.ScaleRevision s && s.hash().equals("v2"));
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

    cluster.status.promote = PromoteRequest.Step;
    cluster.reconcile();
    assertThat(cluster.status.stableRS).as("accepted: the release went on").isEqualTo("v2");
    assertThat(cluster.events).extracting(e -> e.reason().name()).contains("AnalysisAccepted");
  }

  private static RolloutSpec withBackground() {
    var spec = classicSpec();
    spec.strategy.canary.steps =
        new ArrayList<>(List.of(weight(20), indefinitePause(), weight(50), indefinitePause()));
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

    cluster.status.promote = PromoteRequest.Step;
    cluster.reconcile();

    assertThat(cluster.status.currentStepIndex).as("the pause step is not skipped").isEqualTo(1);
    assertThat(cluster.status.backgroundAnalysisRun.name).isEqualTo("checkout-v2-2-background");
    assertThat(cluster.status.pauseConditions)
        .extracting(p -> p.reason)
        .containsExactly("CanaryPauseStep");
  }

  @Test
  void promotionTerminatesTheBackgroundRun() {
    var cluster = v2AtItsAnalysis(withBackground());

    cluster.status.promote = PromoteRequest.Full;
    cluster.reconcile();

    assertThat(cluster.status.stableRS).isEqualTo("v2");
    assertThat(cluster.actions())
        .filteredOn(TerminateAnalysis.class::isInstance)
        .singleElement()
        .satisfies(a -> assertThat(((TerminateAnalysis) a).reason()).contains("v2", "promoted"));
  }

  @Test
  void aNewRevisionTerminatesTheRunsOfTheOneItSupersedes() {
    var cluster = v2AtItsAnalysis(withAnalysisStep());

    cluster.template = "v3";
    cluster.reconcile();

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
    var cluster = new Cluster(spec, "v1").reconcile();
    for (String revision : List.of("v2", "v3", "v4")) {
      cluster.template = revision;
      cluster.reconcile();
      cluster.advance(java.time.Duration.ofMinutes(1));
      cluster.verdict("step-1", AnalysisPhase.Successful, "all metrics passed").reconcile();
      cluster.advance(java.time.Duration.ofMinutes(1));
    }

    assertThat(cluster.runs.keySet()).containsExactly("checkout-v4-1-step-1");
  }

  @Test
  void templateProblemsAreAnInvalidSpecThatChangesNothing() {
    var cluster = new Cluster(withAnalysisStep(), "v1").reconcile();
    cluster.analysisProblems =
        List.of(
            new SpecProblem(
                "spec.strategy.canary.steps[1].analysis.templates[0]",
                "AnalysisTemplate istio-success-rate not found in namespace shop"));
    cluster.template = "v2";
    int before = cluster.actions().size();

    cluster.reconcile();

    assertThat(cluster.status.phase).isEqualTo(RolloutPhase.Degraded);
    assertThat(cluster.status.message)
        .contains("steps[1].analysis.templates[0]", "istio-success-rate not found");
    assertThat(cluster.actions()).hasSize(before);
    assertThat(cluster.runs).isEmpty();
  }

  private static int indexOf(Cluster cluster, Action action) {
    int i = cluster.actions().indexOf(action);
    assertThat(i).as("%s was planned", action).isNotNegative();
    return i;
  }
}
