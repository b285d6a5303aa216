package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.traffic.Side;
import java.util.List;
import java.util.Set;

/**
 * The release was aborted. Traffic first: the weight goes to 0 and the routes Weir named are
 * removed, both read back, before the canary side is re-pointed at stable and the canary scales
 * down (after abortScaleDownDelaySeconds). The rollout stays Degraded until retried or a new
 * revision is declared. A declared revision that was aborted before is held here from the start
 * (reason RevisionAborted): it never had traffic.
 */
final class AbortedState implements StateHandler {

  @Override
  public void plan(PlanContext ctx) {
    String stable = ctx.status.stableRS;
    String onRequest =
        "revision " + ctx.status.currentPodHash + " rolled back to " + stable + " on request";
    if (ctx.status.abortedAt == null) {
      ctx.abort(AbortCause.Aborted, onRequest);
    }
    String why =
        ctx.status.abortMessage != null ? ctx.status.abortMessage : "rollout aborted: " + onRequest;
    String reason = AbortedRevisions.held(ctx.status) ? AbortedRevisions.HELD : "Aborted";
    ctx.status.promote = null;
    ctx.status.pauseConditions.clear();
    boolean stableAvailable = ctx.scaleTo(stable, ctx.replicas());
    ctx.pin(Side.STABLE, stable);
    ctx.status.currentWeight = 0;
    boolean weightBack = ctx.holdWeight(0);
    boolean routesGone = ctx.routeNamed(List.of());
    if (!weightBack) {
      stillMoving(ctx, reason, why + "; moving traffic to stable: " + ctx.readBack());
      return;
    }
    if (!routesGone) {
      stillMoving(ctx, reason, why + "; removing the routes Weir named: " + ctx.namedReadBack());
      return;
    }
    if (ctx.status.blueGreen != null) {
      ctx.status.blueGreen.activeSelector = null;
    }
    if ((ctx.routed() || ctx.blueGreen != null) && !ctx.pin(Side.CANARY, stable)) {
      stillMoving(
          ctx,
          reason,
          why
              + "; pointing the "
              + ctx.sideName(Side.CANARY)
              + " side at stable: "
              + ctx.selection(Side.CANARY));
      return;
    }
    if (ctx.routed() || stableAvailable) {
      ctx.retireAllBut(Set.of(stable), ctx.abortScaleDownDelaySeconds());
    }
    ctx.outcome(RolloutPhase.Degraded, reason, why + "; all traffic on stable");
  }

  /**
   * Traffic not yet back on stable: the abort's own wait, counted from the abort. Its write may be
   * the very thing someone else keeps undoing; past the deadline the message says so, and the
   * canary keeps its pods, since traffic may still reach them.
   */
  private static void stillMoving(PlanContext ctx, String reason, String what) {
    if (!ctx.waitFor(reason, what)) {
      ctx.outcome(RolloutPhase.Degraded, reason, what);
    }
  }
}
