package dev.weir.rollout;

/** Plans one pass for one {@link ReleaseState}. */
interface StateHandler {
  void plan(PlanContext ctx);
}
