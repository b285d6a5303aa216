package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.traffic.Side;

/**
 * Every step is done. Traffic first: the canary scales to full size, takes 100 % of the weight,
 * read back; only then does the stable side point at it and it becomes the stable revision. The old
 * stable keeps its pods for scaleDownDelaySeconds so that requests in flight finish.
 */
final class PromotingState implements StateHandler {

  @Override
  public void plan(PlanContext ctx) {
    if (RolloutAnalyses.backgroundAllows(ctx)) {
      promote(ctx);
    }
  }

  /** Promotes once the background analysis, checked by the caller, allows it. */
  void promote(PlanContext ctx) {
    String canary = ctx.status.currentPodHash;
    String oldStable = ctx.status.stableRS;
    if (SteppingState.heldBySpecPaused(ctx)) {
      return;
    }
    if (!CanaryScaling.scale(ctx, ctx.replicas())) {
      ctx.waitForPodsOrAbort(CanaryScaling.progress(ctx, ctx.replicas()));
      return;
    }
    ctx.status.currentWeight = 100;
    if (!ctx.routeTo(100)) {
      ctx.outcome(RolloutPhase.Progressing, "Promoting", "moving all traffic to " + canary);
      return;
    }
    if (!ctx.pin(Side.STABLE, canary)) {
      ctx.outcome(RolloutPhase.Progressing, "Promoting", "pointing the stable side at " + canary);
      return;
    }
    ctx.scheduleScaleDown(oldStable, ctx.routed() ? ctx.scaleDownDelaySeconds() : 0);
    ctx.status.stableRS = canary;
    ctx.status.promote = null;
    ctx.event(
        RolloutEvent.of(
            EventReason.Promoted,
            "revision " + canary + " promoted to stable, replacing " + oldStable));
    ctx.outcome(RolloutPhase.Progressing, "Promoted", "revision " + canary + " promoted");
  }
}
