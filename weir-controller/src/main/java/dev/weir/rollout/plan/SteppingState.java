package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.Durations;
import dev.weir.api.v1alpha1.PauseCondition;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;

/**
 * Carries the new revision through the steps. Before any step: stable stays whole, the canary side
 * is re-pointed only while it carries no traffic, and the weight of the steps already done is put
 * back if someone else changed it (a GitOps sync), so an outside reset never advances a step.
 */
final class SteppingState implements StateHandler {

  static final String PAUSE_STEP = "CanaryPauseStep";
  static final String USER_PAUSE = "UserPause";

  private final PromotingState promoting;

  SteppingState(PromotingState promoting) {
    this.promoting = promoting;
  }

  @Override
  public void plan(PlanContext ctx) {
    var status = ctx.status;
    String canary = status.currentPodHash;
    int weight = status.currentWeight == null ? 0 : status.currentWeight;
    ctx.pin(Side.STABLE, status.stableRS);
    // The canary side may still select another revision (the previous canary, or stable at the
    // start): it carries no traffic to the new one until the weight there is 0. A side whose
    // selector lost the hash (a GitOps sync) selects no revision in particular and is re-pinned
    // at once, without touching the weight.
    boolean elsewhere =
        ctx.observed.traffic().pinned(Side.CANARY).stream()
            .anyMatch(hash -> !hash.isEmpty() && !hash.equals(canary));
    if (elsewhere) {
      if (ctx.routeTo(0)) {
        ctx.pin(Side.CANARY, canary);
      }
      ctx.outcome(RolloutPhase.Progressing, "PinningCanary", "moving the canary side to " + canary);
      return;
    }
    boolean weightHeld = ctx.routeTo(weight);
    boolean pinned = ctx.pin(Side.CANARY, canary);
    if (!weightHeld) {
      Integer seen = ctx.observed.traffic().canaryWeight();
      if (seen != null && Objects.equals(status.verifiedWeight, weight)) {
        ctx.event(
            RolloutEvent.of(
                EventReason.WeightRestored,
                "canary weight was changed to "
                    + seen
                    + "% outside Weir; restoring "
                    + weight
                    + "%"));
      }
    }
    if (!weightHeld || !pinned) {
      ctx.outcome(
          RolloutPhase.Progressing,
          "Restoring",
          "restoring canary weight " + weight + "% and selectors");
      return;
    }
    ctx.retireAllBut(Set.of(status.stableRS, canary), ctx.abortScaleDownDelaySeconds());
    // Background analysis judges even while paused: a failing canary is not kept for a human.
    if (!RolloutAnalyses.backgroundAllows(ctx)) {
      return;
    }
    if (heldBySpecPaused(ctx)) {
      return;
    }
    while (ctx.stepIndex() < ctx.steps().size()) {
      if (!carryOut(ctx, ctx.steps().get(ctx.stepIndex()))) {
        return;
      }
      status.currentStepIndex = ctx.stepIndex() + 1;
      ctx.progressed();
    }
    promoting.promote(ctx);
  }

  /** Carries out one step; true when it is done and the next may begin. */
  private boolean carryOut(PlanContext ctx, CanaryStep step) {
    if (step.setWeight != null) {
      int weight = step.setWeight;
      int target = CanaryScaling.canaryReplicas(ctx, ctx.stepIndex(), weight);
      // Traffic first both ways: more pods before more weight, less weight before fewer pods.
      boolean shrinking = target < ctx.desired(ctx.status.currentPodHash);
      if (!shrinking && !CanaryScaling.scale(ctx, target)) {
        ctx.waitForPodsOrAbort(CanaryScaling.progress(ctx, target));
        return false;
      }
      // The wanted weight is recorded before it is verified, so that the next pass (or a
      // restarted controller) keeps asking for it rather than "restoring" the previous one.
      ctx.status.currentWeight = weight;
      if (!ctx.routeTo(weight)) {
        ctx.outcome(
            RolloutPhase.Progressing,
            "SettingWeight",
            "setting canary weight " + weight + "% at step " + stepLabel(ctx));
        return false;
      }
      if (shrinking && !CanaryScaling.scale(ctx, target)) {
        ctx.waitForPodsOrAbort(CanaryScaling.progress(ctx, target));
        return false;
      }
      ctx.event(
          RolloutEvent.of(
              EventReason.WeightSet, "canary weight " + weight + "% at step " + stepLabel(ctx)));
      return true;
    }
    if (step.setCanaryScale != null) {
      int weight = ctx.status.currentWeight == null ? 0 : ctx.status.currentWeight;
      int target = CanaryScaling.canaryReplicas(ctx, ctx.stepIndex(), weight);
      if (!CanaryScaling.scale(ctx, target)) {
        ctx.waitForPodsOrAbort(CanaryScaling.progress(ctx, target));
        return false;
      }
      return true;
    }
    if (step.analysis != null) {
      return RolloutAnalyses.stepPassed(ctx);
    }
    return pause(ctx, step);
  }

  private boolean pause(PlanContext ctx, CanaryStep step) {
    PauseCondition pause = ctx.pauseFor(PAUSE_STEP);
    if (step.pause.duration == null) {
      ctx.outcome(
          RolloutPhase.Paused,
          PAUSE_STEP,
          "paused at step " + stepLabel(ctx) + ": waiting for promote");
      return false;
    }
    Duration duration = Durations.parse(step.pause.duration);
    Instant end = Instant.parse(pause.startTime).plus(duration);
    if (!ctx.now().isBefore(end)) {
      ctx.unpause(PAUSE_STEP);
      return true;
    }
    ctx.requeueIn(Duration.between(ctx.now(), end));
    ctx.outcome(
        RolloutPhase.Paused,
        PAUSE_STEP,
        "paused at step " + stepLabel(ctx) + " until " + end.truncatedTo(ChronoUnit.SECONDS));
    return false;
  }

  /**
   * spec.paused holds the rollout where it is, before a step or before promotion; lifting it
   * restarts the progress deadline.
   */
  static boolean heldBySpecPaused(PlanContext ctx) {
    if (Boolean.TRUE.equals(ctx.spec.paused)) {
      ctx.pauseFor(USER_PAUSE);
      ctx.outcome(
          RolloutPhase.Paused, USER_PAUSE, "paused by spec.paused at step " + stepLabel(ctx));
      return true;
    }
    ctx.unpause(USER_PAUSE);
    return false;
  }

  static String stepLabel(PlanContext ctx) {
    return (ctx.stepIndex() + 1) + "/" + ctx.steps().size();
  }
}
