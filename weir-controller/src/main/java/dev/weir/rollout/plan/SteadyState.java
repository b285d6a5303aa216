package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.traffic.Side;
import java.util.List;
import java.util.Set;

/**
 * The stable revision is what git declares. Both sides point at it, the weight is 0, and every
 * other revision scales down once nothing selects it (after scaleDownDelaySeconds for an old
 * stable, abortScaleDownDelaySeconds for a rolled-back canary). A healthy rollout whose weight or
 * selectors someone else changes gets them back, with a warning.
 */
final class SteadyState implements StateHandler {

  @Override
  public void plan(PlanContext ctx) {
    String stable = ctx.status.stableRS;
    // Healthy, both sides were in place: a side that moved since was moved by someone else.
    boolean wasHealthy = ctx.status.phase == RolloutPhase.Healthy;
    ctx.status.currentStepIndex = ctx.steps().size();
    ctx.status.abort = null;
    ctx.status.abortedAt = null;
    ctx.status.abortMessage = null;
    ctx.status.promote = null;
    ctx.status.pauseConditions.clear();
    if (ctx.blueGreen != null) {
      ctx.status.blueGreen = new dev.weir.api.v1alpha1.BlueGreenStatus();
      ctx.status.blueGreen.activeSelector = stable;
    }
    boolean available = ctx.scaleTo(stable, ctx.replicas());
    if (!pinned(ctx, Side.STABLE, stable, wasHealthy)) {
      return;
    }
    ctx.status.currentWeight = 0;
    if (!ctx.holdWeight(0)) {
      ctx.waitFor("SettingWeight", "moving all traffic to stable: " + ctx.readBack());
      return;
    }
    // A released, rolled-back or superseded revision's named routes go before its pods do.
    if (!ctx.routeNamed(List.of())) {
      ctx.waitFor("SettingRoutes", "removing the routes Weir named: " + ctx.namedReadBack());
      return;
    }
    if (!pinned(ctx, Side.CANARY, stable, wasHealthy)) {
      return;
    }
    // Without a mesh, replicas are the traffic: old pods go only once stable can carry it all.
    if (ctx.routed() || available) {
      ctx.retireAllBut(Set.of(stable), ctx.abortScaleDownDelaySeconds());
    }
    ctx.pruneHistory(Set.of(stable));
    if (!available) {
      ctx.waitFor(
          PlanContext.WAITING_FOR_PODS,
          "waiting for stable pods: "
              + ctx.available(stable)
              + "/"
              + ctx.replicas()
              + " available");
      return;
    }
    ctx.outcome(RolloutPhase.Healthy, "Healthy", "revision " + stable + " is stable and available");
  }

  /** Points a side at stable, or waits for it to follow; true when it selects stable. */
  private static boolean pinned(PlanContext ctx, Side side, String stable, boolean restoring) {
    if (restoring ? ctx.restorePin(side, stable) : ctx.pin(side, stable)) {
      return true;
    }
    ctx.waitFor(
        side == Side.STABLE ? "PinningStable" : "PinningCanary",
        "pointing the " + ctx.sideName(side) + " side at " + stable + ": " + ctx.selection(side));
    return false;
  }
}
