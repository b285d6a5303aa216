package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.validation.RolloutValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The pure heart of Weir: {@code (spec, status, observation) -> plan}, for canary and blue-green
 * releases alike. No I/O, no clock: the time is part of the observation. One pass looks at the
 * user's requests (a new template, promote, abort, retry; a template aborted before is held, see
 * {@link AbortedRevisions}), derives the {@link ReleaseState} and lets that state's handler decide;
 * after the passes, {@link #decorations} says which pods must wear which side's labels.
 */
public final class ReleasePlanner {

  private final Map<ReleaseState, StateHandler> handlers;

  public ReleasePlanner() {
    var promoting = new PromotingState();
    handlers =
        Map.of(
            ReleaseState.STEADY, new SteadyState(),
            ReleaseState.STEPPING, new SteppingState(promoting),
            ReleaseState.PROMOTING, promoting,
            ReleaseState.ABORTED, new AbortedState(),
            ReleaseState.BLUE_GREEN, new BlueGreenState());
  }

  public Plan plan(RolloutSpec spec, long generation, RolloutStatus current, Observation observed) {
    RolloutStatus status = copy(current);
    status.observedGeneration = generation;
    status.selector = ScaleSelector.of(spec);
    var problems = new ArrayList<SpecProblem>(RolloutValidator.validate(spec));
    if (problems.isEmpty() && spec.workloadRef != null) {
      // The reconciler puts the Deployment's template in place of the reference once it sees it.
      problems.add(
          new SpecProblem(
              "spec.workloadRef.name",
              "Deployment '" + spec.workloadRef.name + "' not found in the rollout's namespace"));
    }
    if (problems.isEmpty()) {
      problems.addAll(observed.traffic().problems());
      problems.addAll(observed.analysis().problems());
      problems.addAll(observed.gitWriteBacks().problems());
      problems.addAll(StatusProblems.of(spec, status, observed));
    }
    if (!problems.isEmpty()) {
      return invalid(status, problems, generation, observed);
    }
    var ctx = new PlanContext(spec, status, observed);
    takeRequests(ctx);
    handlers.get(stateOf(ctx)).plan(ctx);
    Baseline.retire(ctx);
    RolloutAnalyses.retire(ctx);
    GitWriteBacks.plan(ctx);
    finish(ctx, current, generation);
    WorkloadScaling.plan(ctx.replicas(), status, observed.workload()).ifPresent(ctx.actions::add);
    return new Plan(List.copyOf(ctx.actions), status, List.copyOf(ctx.events), ctx.requeueAfter());
  }

  /**
   * What to do for a rollout with spec.workloadRef that is being deleted: hand the service back to
   * the Deployment ({@link HandBack}). The status is left as it is.
   */
  public Plan handBack(RolloutSpec spec, RolloutStatus status, Observation observed) {
    return new Plan(HandBack.plan(spec, observed), status, List.of(), Optional.of(HandBack.WAIT));
  }

  static ReleaseState stateOf(PlanContext ctx) {
    var status = ctx.status;
    if (Objects.equals(status.currentPodHash, status.stableRS)) {
      return ReleaseState.STEADY;
    }
    if (Boolean.TRUE.equals(status.abort)) {
      return ReleaseState.ABORTED;
    }
    if (ctx.blueGreen != null) {
      return ReleaseState.BLUE_GREEN;
    }
    return ctx.stepIndex() < ctx.steps().size() ? ReleaseState.STEPPING : ReleaseState.PROMOTING;
  }

  /** A new template, a promotion, a retry: what the user asked for since the last pass. */
  private static void takeRequests(PlanContext ctx) {
    var status = ctx.status;
    String declared = ctx.observed.templateHash();
    if (status.stableRS == null) {
      // The first revision has nothing to be compared with: it is stable from the start.
      status.stableRS = declared;
      status.currentPodHash = declared;
      status.currentWeight = 0;
    } else if (!declared.equals(status.currentPodHash)) {
      boolean releasing = !Objects.equals(status.currentPodHash, status.stableRS);
      if (declared.equals(status.stableRS)) {
        ctx.event(
            RolloutEvent.of(
                EventReason.RolledBack,
                "spec.template is back at stable revision " + declared + ": traffic to stable"));
      } else {
        if (releasing) {
          ctx.event(
              RolloutEvent.of(
                  EventReason.Superseded,
                  "revision " + status.currentPodHash + " superseded by " + declared));
        }
        if (AbortedRevisions.of(status, declared).isEmpty()) {
          ctx.event(
              RolloutEvent.of(
                  EventReason.NewRevision, "revision " + declared + " starts at step 0"));
        }
      }
      status.currentPodHash = declared;
      status.currentStepIndex = 0;
      status.currentWeight = 0;
      status.abort = null;
      status.abortedAt = null;
      status.abortMessage = null;
      status.promote = null;
      status.pauseConditions.clear();
      status.analysisRunCount = RolloutAnalyses.finishedRunsOf(ctx, declared);
      status.blueGreen = null;
      RolloutAnalyses.forget(status);
      AbortedRevisions.hold(ctx);
    }
    boolean releasing = !Objects.equals(status.currentPodHash, status.stableRS);
    if (releasing && !Boolean.TRUE.equals(status.abort) && status.abortedAt != null) {
      ctx.event(RolloutEvent.of(EventReason.Retried, "retrying revision " + status.currentPodHash));
      AbortedRevisions.forget(status, status.currentPodHash);
      status.abortedAt = null;
      status.abortMessage = null;
      status.currentStepIndex = 0;
      status.pauseConditions.clear();
      status.blueGreen = null;
      RolloutAnalyses.forget(status);
    }
    if (status.promote != null && releasing && !Boolean.TRUE.equals(status.abort)) {
      int steps = ctx.steps().size();
      boolean backgroundVerdictOnly = RolloutAnalyses.acceptVerdicts(ctx);
      if (ctx.blueGreen != null) {
        BlueGreenState.approve(ctx);
      } else if (status.promote == PromoteRequest.Full) {
        status.currentStepIndex = steps;
        status.stepAnalysisRun = null;
        ctx.event(RolloutEvent.of(EventReason.PromotedFull, "remaining steps skipped on request"));
      } else if (!backgroundVerdictOnly && ctx.stepIndex() < steps) {
        status.stepAnalysisRun = null;
        ctx.event(
            RolloutEvent.of(
                EventReason.StepPromoted,
                "step " + SteppingState.stepLabel(ctx) + " skipped on request"));
        status.currentStepIndex = ctx.stepIndex() + 1;
      }
      ctx.unpause(SteppingState.PAUSE_STEP);
      ctx.progressed();
    }
    status.promote = null;
  }

  /**
   * The pod decorations a blue-green rollout's revisions lack once the passes are done: each
   * revision's ReplicaSet template and pods wear the metadata of the side the status gives it.
   * Where the template wears it already but pods exist, pods made from the template as it was
   * before (the ReplicaSet controller's cache lags the patch) are decorated too. None while the
   * spec or the status is invalid.
   */
  public List<Action> decorations(RolloutSpec spec, RolloutStatus status, Observation observed) {
    var actions = new ArrayList<Action>();
    // A label may move pods in or out of a Service: nothing is decorated from a spec or status
    // that cannot be acted on.
    if (!RolloutValidator.validate(spec).isEmpty()
        || StatusConditions.isTrue(ReleasePlanner.copy(status), StatusConditions.INVALID_SPEC)) {
      return actions;
    }
    for (Revision revision : observed.revisions().values()) {
      var decoration = PodDecorations.of(spec, status, revision.hash());
      if (decoration.isEmpty()) {
        continue;
      }
      if (!decoration.appliedTo(revision.templateLabels(), revision.templateAnnotations())) {
        actions.add(new Action.DecoratePods(revision.hash(), decoration, true));
      } else if (revision.currentReplicas() > 0) {
        actions.add(new Action.DecoratePods(revision.hash(), decoration, false));
      }
    }
    return actions;
  }

  /** Progress bookkeeping, replica counts and conditions, the same for every state. */
  private static void finish(PlanContext ctx, RolloutStatus previous, long generation) {
    var status = ctx.status;
    var revisions = ctx.observed.revisions().values();
    status.replicas = revisions.stream().mapToInt(Revision::currentReplicas).sum();
    status.readyReplicas = revisions.stream().mapToInt(Revision::readyReplicas).sum();
    status.availableReplicas = revisions.stream().mapToInt(Revision::availableReplicas).sum();
    status.updatedReplicas =
        ctx.revision(status.currentPodHash).map(Revision::currentReplicas).orElse(0);
    status.verifiedWeight = verifiedWeight(ctx);
    boolean progressed =
        status.progressedAt == null
            || !Objects.equals(status.currentStepIndex, previous.currentStepIndex)
            || !Objects.equals(status.currentPodHash, previous.currentPodHash)
            || !Objects.equals(status.stableRS, previous.stableRS)
            || morePodsAvailable(ctx, previous)
            || !Objects.equals(status.pauseConditions, previous.pauseConditions);
    if (progressed) {
      status.progressedAt = ctx.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
    boolean aborted = Boolean.TRUE.equals(status.abort);
    String deadline = AbortCause.ProgressDeadlineExceeded.name();
    if (!aborted
        && ctx.phase == RolloutPhase.Degraded
        && deadline.equals(ctx.reason)
        && !stalledBy(previous, deadline)) {
      ctx.event(RolloutEvent.of(EventReason.ProgressDeadlineExceeded, ctx.message));
    }
    StatusConditions.describe(
        status,
        new StatusConditions.Outcome(ctx.phase, ctx.reason, ctx.message, aborted, false),
        generation,
        ctx.now());
  }

  /**
   * Pods that became available count as progress only for a wait for pods: pods an autoscaler added
   * or took away while the release waits for something else (a weight, a measurement) move no
   * deadline.
   */
  private static boolean morePodsAvailable(PlanContext ctx, RolloutStatus previous) {
    int before = previous.availableReplicas == null ? 0 : previous.availableReplicas;
    return PlanContext.WAITING_FOR_PODS.equals(ctx.reason) && ctx.status.availableReplicas > before;
  }

  private static boolean stalledBy(RolloutStatus status, String reason) {
    return status != null
        && status.conditions != null
        && status.conditions.stream()
            .anyMatch(
                c ->
                    StatusConditions.STALLED.equals(c.getType())
                        && "True".equals(c.getStatus())
                        && reason.equals(c.getReason()));
  }

  private static Integer verifiedWeight(PlanContext ctx) {
    if (ctx.routed()) {
      return ctx.observed.traffic().canaryWeight();
    }
    var status = ctx.status;
    if (Objects.equals(status.currentPodHash, status.stableRS)) {
      return 0;
    }
    int canary = ctx.available(status.currentPodHash);
    int all = canary + ctx.available(status.stableRS);
    return all == 0 ? 0 : Math.round(100f * canary / all);
  }

  private static Plan invalid(
      RolloutStatus status, List<SpecProblem> problems, long generation, Observation observed) {
    String message = problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; "));
    boolean reported =
        StatusConditions.isTrue(status, StatusConditions.INVALID_SPEC)
            && message.equals(status.message);
    StatusConditions.describe(
        status,
        new StatusConditions.Outcome(
            RolloutPhase.Degraded, "InvalidSpec", message, Boolean.TRUE.equals(status.abort), true),
        generation,
        observed.now());
    var events = new ArrayList<RolloutEvent>();
    if (!reported) {
      events.add(RolloutEvent.of(EventReason.InvalidSpec, message));
    }
    return new Plan(List.of(), status, events, java.util.Optional.empty());
  }

  /** A deep copy of a status, with its lists present: the planner never changes what it reads. */
  public static RolloutStatus copy(RolloutStatus status) {
    if (status == null) {
      return new RolloutStatus();
    }
    var copy = Serialization.jsonMapper().convertValue(status, RolloutStatus.class);
    if (copy.pauseConditions == null) {
      copy.pauseConditions = new ArrayList<>();
    }
    if (copy.conditions == null) {
      copy.conditions = new ArrayList<>();
    }
    if (copy.abortedRevisions == null) {
      copy.abortedRevisions = new ArrayList<>();
    }
    return copy;
  }
}
