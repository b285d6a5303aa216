package dev.weir.rollout.plan;

/** Plans one pass for one {@link ReleaseState}. */
interface StateHandler {
  void plan(PlanContext ctx);
}
