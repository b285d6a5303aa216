package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.traffic.Side;
import java.util.List;

/**
 * Every step is done. Traffic first: the canary scales to full size, the routes Weir named are
 * removed, the canary takes 100 % of the weight, read back; only then does the stable side point at
 * it and it becomes the stable revision. The old stable keeps its pods for scaleDownDelaySeconds so
 * that requests in flight finish. Until Weir itself asks for 100 %, the traffic of the last step is
 * held as while stepping: a weight someone else wrote (a sync's 100 % among them) is put back,
 * never taken for Weir's own.
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
    // Once Weir asked for 100 % the weight and the stable side are promotion's own to move.
    if (Integer.valueOf(100).equals(ctx.status.currentWeight)) {
      if (!ctx.restorePin(Side.CANARY, canary)) {
        ctx.waitForOrAbort(
            "Restoring",
            "restoring the canary side on " + canary + " (" + ctx.selection(Side.CANARY) + ")");
        return;
      }
    } else if (!SteppingState.holdTraffic(ctx)) {
      return;
    }
    // The new stable is brought to spec.replicas as it is now (an autoscaler's count) before any
    // traffic moves; the old stable gives up no pod before the switch.
    int oldStablePods =
        CanaryScaling.dynamicStable(ctx)
            ? Math.min(ctx.desired(oldStable), ctx.replicas())
            : ctx.replicas();
    if (!CanaryScaling.scale(ctx, ctx.replicas(), oldStablePods)) {
      ctx.waitForPodsOrAbort(CanaryScaling.progress(ctx, ctx.replicas()));
      return;
    }
    ctx.status.currentWeight = 100;
    // The routes Weir named go with the release: from here on every request takes the weight.
    if (!ctx.routeNamed(List.of())) {
      ctx.waitForOrAbort(
          "Promoting", "removing the routes Weir named before promotion: " + ctx.namedReadBack());
      return;
    }
    if (!ctx.routeTo(100)) {
      ctx.waitForOrAbort("Promoting", "moving all traffic to " + canary + ": " + ctx.readBack());
      return;
    }
    if (!ctx.pin(Side.STABLE, canary)) {
      ctx.waitForOrAbort(
          "Promoting", "pointing the stable side at " + canary + ": " + ctx.selection(Side.STABLE));
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
