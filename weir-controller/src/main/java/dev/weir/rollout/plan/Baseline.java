package dev.weir.rollout.plan;

import dev.weir.api.WellKnownNames;
import dev.weir.rollout.plan.Action.DeleteBaseline;
import dev.weir.rollout.plan.Action.ScaleBaseline;
import dev.weir.rollout.plan.Action.SetWeight;

/**
 * The baseline a canary strategy asks for with baselineService: a fresh ReplicaSet of the stable
 * template beside the canary, as many pods as the canary and as much traffic, so that a metric
 * judged by comparison sees two samples that differ only by the revision (not by the age of the
 * pods, their number, or the traffic they had). While the steps run, from the first setWeight, it
 * follows the canary; at promotion, abort and a new revision, its weight goes to 0 with the
 * canary's (or to stable) and only once that reads back is its ReplicaSet deleted: traffic first.
 *
 * <pre>
 *  none ──setWeight N──▶ scaled to the canary's pods ──available──▶ weight N beside the canary's N
 *   ▲                                                                         │
 *   └──── deleted ◀── weight 0 read back ◀── promotion · abort · new revision ┘
 * </pre>
 */
final class Baseline {

  private Baseline() {}

  /** Whether the strategy asks for a baseline. */
  static boolean asked(PlanContext ctx) {
    return ctx.blueGreen == null && ctx.canary.baselineService != null;
  }

  /** The baseline's weight beside a canary weight: the same while the steps run, else 0. */
  static int weight(PlanContext ctx, int canaryWeight) {
    return ctx.baselineFollows && asked(ctx) ? canaryWeight : 0;
  }

  /**
   * Asks for the baseline at {@code replicas} pods of the stable template, creating it if needed. A
   * baseline made for an earlier canary is not reused: it goes first ({@link #retire}).
   *
   * @return whether all of them are available (always true when none is asked for)
   */
  static boolean scale(PlanContext ctx, int replicas) {
    if (!asked(ctx)) {
      return true;
    }
    Revision baseline = ctx.observed.baseline();
    String canary = ctx.status.currentPodHash;
    if (baseline == null) {
      if (replicas == 0) {
        return true;
      }
      ctx.actions.add(new ScaleBaseline(ctx.status.stableRS, canary, replicas));
      return false;
    }
    if (!madeFor(baseline, canary)) {
      return false;
    }
    if (baseline.replicas() != replicas) {
      ctx.actions.add(new ScaleBaseline(ctx.status.stableRS, canary, replicas));
      return false;
    }
    return baseline.isAvailable(replicas);
  }

  /** The baseline's pods for a message: "baseline 2/3 available". */
  static String progress(PlanContext ctx, int replicas) {
    Revision baseline = ctx.observed.baseline();
    boolean ours = baseline != null && madeFor(baseline, ctx.status.currentPodHash);
    return "baseline " + (ours ? baseline.availableReplicas() : 0) + "/" + replicas + " available";
  }

  /**
   * Deletes the baseline once nothing asks for it (promotion, abort, the stable revision declared
   * again) or it was made for a canary that is no longer the one in progress (a new revision), as
   * soon as the routes read back no weight for it: the state's own weight takes it off first (see
   * {@link #weight}; the new canary starts at 0).
   */
  static void retire(PlanContext ctx) {
    Revision baseline = ctx.observed.baseline();
    if (baseline == null
        || (ctx.baselineFollows && asked(ctx) && madeFor(baseline, ctx.status.currentPodHash))) {
      return;
    }
    Integer weight = ctx.observed.traffic().baselineWeight();
    boolean unweighted = !ctx.routed() || (weight != null && weight == 0);
    boolean weightPending = ctx.actions.stream().anyMatch(a -> a instanceof SetWeight);
    if (unweighted && !weightPending) {
      ctx.actions.add(new DeleteBaseline());
    }
  }

  private static boolean madeFor(Revision baseline, String canary) {
    return canary.equals(
        baseline.templateAnnotations().get(WellKnownNames.BASELINE_FOR_ANNOTATION));
  }
}
