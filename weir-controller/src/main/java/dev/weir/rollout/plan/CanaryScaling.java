package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.SetCanaryScale;

/** Brings the canary (and, without a mesh, the stable side) to the pods a step asks for. */
final class CanaryScaling {

  private CanaryScaling() {}

  /**
   * Canary pods at step {@code index} for a traffic weight: the latest setCanaryScale at or before
   * the step decides, else the weight does.
   */
  static int canaryReplicas(PlanContext ctx, int index, int weight) {
    SetCanaryScale scale = null;
    for (int i = Math.min(index, ctx.steps().size() - 1); i >= 0 && scale == null; i--) {
      CanaryStep step = ctx.steps().get(i);
      scale = step.setCanaryScale;
    }
    if (scale == null || Boolean.TRUE.equals(scale.matchTrafficWeight)) {
      return ReplicaArithmetic.canaryReplicas(ctx.replicas(), weight);
    }
    if (scale.replicas != null) {
      return scale.replicas;
    }
    return ReplicaArithmetic.canaryReplicas(ctx.replicas(), scale.weight);
  }

  /**
   * Asks for {@code canaryTarget} canary pods. With a mesh the stable side keeps all its pods;
   * without one it gives up as many as the canary takes, within maxSurge and maxUnavailable.
   *
   * @return whether both sides are at their targets with all pods available
   */
  static boolean scale(PlanContext ctx, int canaryTarget) {
    String stable = ctx.status.stableRS;
    String canary = ctx.status.currentPodHash;
    if (ctx.routed()) {
      ctx.scaleTo(stable, ctx.replicas());
      return ctx.scaleTo(canary, canaryTarget);
    }
    int replicas = ctx.replicas();
    int stableTarget = replicas - canaryTarget;
    int surge = ReplicaArithmetic.resolve(ctx.canary.maxSurge, replicas, 25, true);
    int unavailable = ReplicaArithmetic.resolve(ctx.canary.maxUnavailable, replicas, 25, false);
    if (surge == 0 && unavailable == 0) {
      // Percentages that both round to 0 would stall the trade, so one pod may be unavailable,
      // as a Deployment allows.
      unavailable = 1;
    }
    var next =
        ReplicaArithmetic.next(
            replicas,
            surge,
            unavailable,
            new ReplicaArithmetic.Side(ctx.desired(stable), ctx.available(stable)),
            new ReplicaArithmetic.Side(ctx.desired(canary), ctx.available(canary)),
            stableTarget,
            canaryTarget);
    boolean stableDone = ctx.scaleTo(stable, next.stable());
    boolean canaryDone = ctx.scaleTo(canary, next.canary());
    return stableDone
        && canaryDone
        && next.stable() == stableTarget
        && next.canary() == canaryTarget;
  }

  static String progress(PlanContext ctx, int canaryTarget) {
    return "waiting for canary pods: "
        + ctx.available(ctx.status.currentPodHash)
        + "/"
        + canaryTarget
        + " available";
  }
}
