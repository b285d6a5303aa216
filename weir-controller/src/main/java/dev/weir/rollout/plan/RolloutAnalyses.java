package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.AnalysisErrorPolicy;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.RolloutAnalysisRunStatus;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.rollout.plan.Action.DeleteAnalysis;
import dev.weir.rollout.plan.Action.StartAnalysis;
import dev.weir.rollout.plan.Action.TerminateAnalysis;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The planner's side of analysis: starting the run of an analysis step or of the background
 * analysis, acting on its verdict, and letting go of the runs nobody waits for. Verdicts, as
 * docs/analysis.md lists them: Successful moves on; Failed aborts, traffic first; Error aborts (or
 * pauses, by spec.analysis.onError); Inconclusive pauses until a human promotes (accepting it) or
 * aborts.
 */
final class RolloutAnalyses {

  static final String INCONCLUSIVE_PAUSE = "InconclusiveAnalysis";
  static final String ERROR_PAUSE = "AnalysisError";

  private RolloutAnalyses() {}

  /** The background analysis; false when its verdict stops the release here. */
  static boolean backgroundAllows(PlanContext ctx) {
    var background = ctx.canary.analysis;
    int from = background == null || background.startingStep == null ? 0 : background.startingStep;
    if (background == null || ctx.stepIndex() < from) {
      return true;
    }
    var run = follow(ctx, AnalysisSite.BACKGROUND);
    if (run.isEmpty() || !run.get().completed() || run.get().phase() == AnalysisPhase.Successful) {
      return true;
    }
    return verdict(ctx, run.get(), "background analysis " + run.get().name());
  }

  /** The analysis step being carried out; true when its run passed. */
  static boolean stepPassed(PlanContext ctx) {
    return passed(
        ctx,
        AnalysisSite.step(ctx.stepIndex()),
        "analysis at step " + SteppingState.stepLabel(ctx));
  }

  /** An analysis the release waits on at {@code site}; true when its run passed. */
  static boolean passed(PlanContext ctx, AnalysisSite site, String where) {
    var run = follow(ctx, site);
    if (run.isEmpty() || !run.get().completed()) {
      waitFor(ctx, run, where + ": waiting for AnalysisRun " + ctx.status.stepAnalysisRun.name);
      return false;
    }
    if (run.get().phase() == AnalysisPhase.Successful) {
      ctx.event(
          RolloutEvent.of(
              EventReason.AnalysisPassed, where + ": AnalysisRun " + run.get().name() + " passed"));
      ctx.status.stepAnalysisRun = null;
      return true;
    }
    return verdict(ctx, run.get(), where + " (" + run.get().name() + ")");
  }

  /**
   * A run that measures on schedule is progress; one whose measurement is due and not taken (a
   * provider that never answers, none taken yet) waits from when it fell due, toward the deadline.
   */
  private static void waitFor(PlanContext ctx, Optional<AnalysisRunView> run, String what) {
    Instant due = run.map(AnalysisRunView::nextMeasurementAt).orElse(null);
    if (run.isPresent() && run.get().measuredAt() == null) {
      what += ", which has taken no measurement yet";
    } else if (due != null && !ctx.now().isBefore(due)) {
      what += ", whose measurement due at " + due.truncatedTo(ChronoUnit.SECONDS) + " is not taken";
    }
    ctx.waitForOrAbort("Analyzing", what, due);
  }

  /**
   * The run of a site for the revision in progress: started when there is none yet (its name fixed
   * in status before it exists, so a repeated create finds it), its phase copied into status.
   */
  private static Optional<AnalysisRunView> follow(PlanContext ctx, AnalysisSite site) {
    RolloutStatus status = ctx.status;
    String rollout = ctx.observed.analysis().rollout();
    String hash = status.currentPodHash;
    RolloutAnalysisRunStatus ref = ref(status, site);
    if (ref == null || !site.owns(ref.name, rollout, hash)) {
      int sequence = (status.analysisRunCount == null ? 0 : status.analysisRunCount) + 1;
      status.analysisRunCount = sequence;
      ref =
          new RolloutAnalysisRunStatus(
              site.runName(rollout, hash, sequence), AnalysisPhase.Pending, null);
      if (site.background()) {
        status.backgroundAnalysisRun = ref;
      } else {
        status.stepAnalysisRun = ref;
      }
      ctx.actions.add(new StartAnalysis(ref.name, site, hash, status.stableRS));
      ctx.event(
          RolloutEvent.of(EventReason.AnalysisRunStarted, "AnalysisRun " + ref.name + " started"));
      return Optional.empty();
    }
    var run = ctx.observed.analysis().runs().get(ref.name);
    if (run == null) {
      // Started by a pass whose status was not written, or deleted since: create it (again).
      ctx.actions.add(new StartAnalysis(ref.name, site, hash, status.stableRS));
      return Optional.empty();
    }
    copy(run, ref);
    return Optional.of(run);
  }

  /**
   * The run's phase, and its message once it has a verdict: a running run's message changes with
   * every measurement, and the rollout's status is not rewritten for each.
   */
  private static void copy(AnalysisRunView run, RolloutAnalysisRunStatus ref) {
    ref.phase = run.phase();
    ref.message = run.completed() ? run.message() : null;
  }

  private static RolloutAnalysisRunStatus ref(RolloutStatus status, AnalysisSite site) {
    return site.background() ? status.backgroundAnalysisRun : status.stepAnalysisRun;
  }

  /** Acts on an unsuccessful verdict; always false: the release stops here. */
  private static boolean verdict(PlanContext ctx, AnalysisRunView run, String where) {
    String said = run.message() == null ? "" : ": " + run.message();
    String choice = "; promote to go on, abort to roll back";
    if (run.phase() == AnalysisPhase.Failed) {
      ctx.abort(AbortCause.AnalysisFailed, where + " failed" + said, run);
    } else if (run.phase() == AnalysisPhase.Error
        && errorPolicy(ctx) == AnalysisErrorPolicy.Abort) {
      ctx.abort(AbortCause.AnalysisError, where + " ended in Error" + said, run);
    } else if (run.phase() == AnalysisPhase.Error) {
      ctx.pauseFor(ERROR_PAUSE);
      ctx.outcome(RolloutPhase.Paused, ERROR_PAUSE, where + " ended in Error" + said + choice);
    } else {
      boolean fresh =
          ctx.status.pauseConditions.stream().noneMatch(c -> INCONCLUSIVE_PAUSE.equals(c.reason));
      ctx.pauseFor(INCONCLUSIVE_PAUSE);
      if (fresh) {
        ctx.event(
            RolloutEvent.of(EventReason.InconclusiveAnalysis, where + " is inconclusive" + said));
      }
      ctx.outcome(
          RolloutPhase.Paused, INCONCLUSIVE_PAUSE, where + " is inconclusive" + said + choice);
    }
    return false;
  }

  private static AnalysisErrorPolicy errorPolicy(PlanContext ctx) {
    var settings = ctx.spec.analysis;
    return settings == null || settings.onError == null
        ? AnalysisErrorPolicy.Abort
        : settings.onError;
  }

  /**
   * A promote while an analysis verdict holds the release: the human accepts the verdict. An
   * accepted background verdict starts a new background run; an accepted step verdict ends the
   * step.
   *
   * @return whether only a background verdict was accepted, so the current step must not be skipped
   */
  static boolean acceptVerdicts(PlanContext ctx) {
    var status = ctx.status;
    boolean background = held(status.backgroundAnalysisRun);
    boolean step = held(status.stepAnalysisRun);
    ctx.unpause(INCONCLUSIVE_PAUSE);
    ctx.unpause(ERROR_PAUSE);
    if (background) {
      ctx.event(
          RolloutEvent.of(
              EventReason.AnalysisAccepted,
              "verdict of " + status.backgroundAnalysisRun.name + " accepted on request"));
      status.backgroundAnalysisRun = null;
    }
    if (step) {
      ctx.event(
          RolloutEvent.of(
              EventReason.AnalysisAccepted,
              "verdict of " + status.stepAnalysisRun.name + " accepted on request"));
    }
    return background && !step;
  }

  private static boolean held(RolloutAnalysisRunStatus ref) {
    return ref != null
        && (ref.phase == AnalysisPhase.Inconclusive || ref.phase == AnalysisPhase.Error);
  }

  /**
   * The highest number among the finished runs of a revision that the cluster still keeps, null
   * when none: a revision declared again (after a rollback, or held as aborted and then retried)
   * numbers its runs on from there, so that a new run never repeats the name of its earlier
   * release's run and takes up that run's verdict. Runs still under way are left out: one may be
   * this very release's, started by a pass whose status was not written, and must be found again by
   * its name.
   */
  static Integer finishedRunsOf(PlanContext ctx, String hash) {
    String prefix = ctx.observed.analysis().rollout() + "-" + hash + "-";
    return ctx.observed.analysis().runs().values().stream()
        .filter(r -> r.completed() || r.terminating())
        .map(AnalysisRunView::name)
        .filter(name -> name.startsWith(prefix))
        .map(name -> name.substring(prefix.length()).split("-", 2)[0])
        .filter(number -> number.matches("\\d{1,9}"))
        .map(Integer::valueOf)
        .max(Integer::compare)
        .orElse(null);
  }

  /** Forgets the runs of a release that starts over (a new revision, a retry). */
  static void forget(RolloutStatus status) {
    status.stepAnalysisRun = null;
    status.backgroundAnalysisRun = null;
  }

  /**
   * Every run the release no longer waits for is terminated; finished runs beyond the history
   * limits are deleted, oldest first; the runs status names show their latest phase.
   */
  static void retire(PlanContext ctx) {
    var status = ctx.status;
    var runs = ctx.observed.analysis().runs();
    for (var ref :
        new RolloutAnalysisRunStatus[] {status.stepAnalysisRun, status.backgroundAnalysisRun}) {
      if (ref != null && runs.containsKey(ref.name)) {
        copy(runs.get(ref.name), ref);
      }
    }
    boolean releasing =
        !Objects.equals(status.currentPodHash, status.stableRS)
            && !Boolean.TRUE.equals(status.abort);
    Set<String> wanted = new HashSet<>();
    if (releasing) {
      if (status.stepAnalysisRun != null) {
        wanted.add(status.stepAnalysisRun.name);
      }
      if (status.backgroundAnalysisRun != null) {
        wanted.add(status.backgroundAnalysisRun.name);
      }
    }
    // Traffic first: an abort moves the weight back before it tidies up its runs.
    boolean trafficPending =
        Boolean.TRUE.equals(status.abort)
            && ctx.routed()
            && !Objects.equals(ctx.observed.traffic().canaryWeight(), 0);
    for (var run : runs.values()) {
      if (!trafficPending
          && !run.completed()
          && !run.terminating()
          && !wanted.contains(run.name())) {
        ctx.actions.add(new TerminateAnalysis(run.name(), whyTerminated(ctx, run)));
      }
    }
    var settings = ctx.spec.analysis;
    int keepPassed =
        settings == null || settings.successfulRunHistoryLimit == null
            ? 5
            : settings.successfulRunHistoryLimit;
    int keepOthers =
        settings == null || settings.unsuccessfulRunHistoryLimit == null
            ? 5
            : settings.unsuccessfulRunHistoryLimit;
    Set<String> shown = new HashSet<>();
    for (var ref :
        new RolloutAnalysisRunStatus[] {status.stepAnalysisRun, status.backgroundAnalysisRun}) {
      if (ref != null) {
        shown.add(ref.name);
      }
    }
    List<AnalysisRunView> finished =
        runs.values().stream()
            .filter(AnalysisRunView::completed)
            .filter(r -> !shown.contains(r.name()))
            .sorted(Comparator.comparing(AnalysisRunView::created).reversed())
            .toList();
    finished.stream()
        .filter(r -> r.phase() == AnalysisPhase.Successful)
        .skip(keepPassed)
        .forEach(r -> ctx.actions.add(new DeleteAnalysis(r.name())));
    finished.stream()
        .filter(r -> r.phase() != AnalysisPhase.Successful)
        .skip(keepOthers)
        .forEach(r -> ctx.actions.add(new DeleteAnalysis(r.name())));
  }

  private static String whyTerminated(PlanContext ctx, AnalysisRunView run) {
    var status = ctx.status;
    if (!Objects.equals(run.hash(), status.currentPodHash)) {
      return "revision " + run.hash() + " is no longer the declared one";
    }
    if (Boolean.TRUE.equals(status.abort)) {
      return "the release was aborted";
    }
    if (Objects.equals(status.currentPodHash, status.stableRS)) {
      return "revision " + run.hash() + " was promoted";
    }
    return "the release no longer waits for it";
  }
}
