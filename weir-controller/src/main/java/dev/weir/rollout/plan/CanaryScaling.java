package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.SetCanaryScale;

/**
 * Brings the canary (and the stable side) to the pods a step asks for. spec.replicas is the total:
 * a HorizontalPodAutoscaler that changes it resizes both sides at once, the canary to its share,
 * the stable side never above the total.
 */
final class CanaryScaling {

  private CanaryScaling() {}

  /**
   * Canary pods at step {@code index} for a traffic weight: the latest setCanaryScale at or before
   * the step decides, else the weight does; at least one while a route Weir names (set at or before
   * the step) leads requests to the canary, whatever the weight.
   */
  static int canaryReplicas(PlanContext ctx, int index, int weight) {
    int replicas = scaledReplicas(ctx, index, weight);
    boolean routes = !NamedRoutes.setBy(ctx.steps(), index + 1).isEmpty();
    return routes ? Math.max(1, replicas) : replicas;
  }

  private static int scaledReplicas(PlanContext ctx, int index, int weight) {
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

  /** Whether the stable side shrinks as the canary's weight grows. */
  static boolean dynamicStable(PlanContext ctx) {
    return ctx.routed() && Boolean.TRUE.equals(ctx.canary.dynamicStableScale);
  }

  /**
   * Stable pods, with a mesh, for the canary weights in play (the one held and the one being moved
   * to): all of spec.replicas, or with dynamicStableScale the share the largest stable traffic
   * among them needs.
   */
  static int stableReplicas(PlanContext ctx, int... canaryWeights) {
    if (!dynamicStable(ctx)) {
      return ctx.replicas();
    }
    int least = 100;
    for (int weight : canaryWeights) {
      least = Math.min(least, weight);
    }
    return ReplicaArithmetic.stableReplicas(ctx.replicas(), least);
  }

  /** The canary weight Weir holds now. */
  static int heldWeight(PlanContext ctx) {
    return ctx.status.currentWeight == null ? 0 : ctx.status.currentWeight;
  }

  /**
   * Asks for {@code canaryTarget} canary pods. With a mesh the stable side keeps the pods the held
   * weight needs; without one it gives up as many as the canary takes, within maxSurge and
   * maxUnavailable.
   *
   * @return whether both sides are at their targets with all pods available
   */
  static boolean scale(PlanContext ctx, int canaryTarget) {
    return scale(ctx, canaryTarget, stableReplicas(ctx, heldWeight(ctx)));
  }

  /**
   * Asks for {@code canaryTarget} canary pods and, with a mesh, {@code routedStable} stable ones.
   *
   * @return whether both sides are at their targets with all pods available (with a mesh: the
   *     canary)
   */
  static boolean scale(PlanContext ctx, int canaryTarget, int routedStable) {
    String stable = ctx.status.stableRS;
    String canary = ctx.status.currentPodHash;
    if (ctx.routed()) {
      ctx.scaleTo(stable, routedStable);
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

  /**
   * With dynamicStableScale, before the canary's weight goes down to {@code weight}: the stable
   * side grows to the share it will carry, and the weight waits for its pods. Scale-up before
   * traffic.
   *
   * @return whether the stable side can take the traffic (always, without dynamicStableScale)
   */
  static boolean stableCarries(PlanContext ctx, int weight) {
    if (!dynamicStable(ctx)) {
      return true;
    }
    int target = stableReplicas(ctx, weight, heldWeight(ctx));
    String stable = ctx.status.stableRS;
    return ctx.scaleTo(stable, target) || ctx.available(stable) >= target;
  }

  static String progress(PlanContext ctx, int canaryTarget) {
    return "waiting for canary pods: "
        + ctx.available(ctx.status.currentPodHash)
        + "/"
        + canaryTarget
        + " available";
  }

  static String stableProgress(PlanContext ctx, int weight) {
    return "waiting for stable pods before the canary weight goes down to "
        + weight
        + "%: "
        + ctx.available(ctx.status.stableRS)
        + "/"
        + stableReplicas(ctx, weight, heldWeight(ctx))
        + " available";
  }
}
