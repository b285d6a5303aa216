package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.traffic.Side;
import java.util.Set;

/**
 * The stable revision is what git declares. Both sides point at it, the weight is 0, and every
 * other revision scales down once nothing selects it (after scaleDownDelaySeconds for an old
 * stable, abortScaleDownDelaySeconds for a rolled-back canary).
 */
final class SteadyState implements StateHandler {

  @Override
  public void plan(PlanContext ctx) {
    String stable = ctx.status.stableRS;
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
    if (!ctx.pin(Side.STABLE, stable)) {
      ctx.outcome(
          RolloutPhase.Progressing, "PinningStable", "pointing the stable side at " + stable);
      return;
    }
    ctx.status.currentWeight = 0;
    if (!ctx.routeTo(0)) {
      ctx.outcome(RolloutPhase.Progressing, "SettingWeight", "moving all traffic to stable");
      return;
    }
    if (!ctx.pin(Side.CANARY, stable)) {
      ctx.outcome(
          RolloutPhase.Progressing, "PinningCanary", "pointing the canary side at " + stable);
      return;
    }
    // Without a mesh, replicas are the traffic: old pods go only once stable can carry it all.
    if (ctx.routed() || available) {
      ctx.retireAllBut(Set.of(stable), ctx.abortScaleDownDelaySeconds());
    }
    ctx.pruneHistory(Set.of(stable));
    if (!available) {
      ctx.waitForPods(
          "waiting for stable pods: "
              + ctx.available(stable)
              + "/"
              + ctx.replicas()
              + " available");
      return;
    }
    ctx.outcome(RolloutPhase.Healthy, "Healthy", "revision " + stable + " is stable and available");
  }
}
