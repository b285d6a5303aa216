package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.Durations;
import dev.weir.api.v1alpha1.PauseCondition;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.traffic.NamedRoute;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Carries the new revision through the steps. Before any step, what the steps already did is held
 * ({@link #holdTraffic}, {@link #holdReplicas}): the routes Weir named are those of the steps done
 * ({@link NamedRoutes}), stable stays whole (or, with dynamicStableScale, at its weight's share),
 * the canary side is re-pointed only while it carries no traffic, the weight of the steps already
 * done is put back if someone else changed it (a GitOps sync), and a canary whose ReplicaSet was
 * deleted or scaled down gets its pods back, so an outside change never advances a step.
 */
final class SteppingState implements StateHandler {

  static final String PAUSE_STEP = "CanaryPauseStep";
  static final String USER_PAUSE = "UserPause";

  private final PromotingState promoting;

  SteppingState(PromotingState promoting) {
    this.promoting = promoting;
  }

  @Override
  public void plan(PlanContext ctx) {
    var status = ctx.status;
    String canary = status.currentPodHash;
    ctx.baselineFollows = Baseline.asked(ctx);
    if (!holdTraffic(ctx) || !holdReplicas(ctx) || !holdBaseline(ctx)) {
      return;
    }
    ctx.retireAllBut(Set.of(status.stableRS, canary), ctx.abortScaleDownDelaySeconds());
    // Background analysis judges even while paused: a failing canary is not kept for a human.
    if (!RolloutAnalyses.backgroundAllows(ctx)) {
      return;
    }
    if (heldBySpecPaused(ctx)) {
      return;
    }
    while (ctx.stepIndex() < ctx.steps().size()) {
      if (!carryOut(ctx, ctx.steps().get(ctx.stepIndex()))) {
        return;
      }
      status.currentStepIndex = ctx.stepIndex() + 1;
      ctx.progressed();
    }
    // Promotion takes the baseline's weight away with the stable side's.
    ctx.baselineFollows = false;
    promoting.promote(ctx);
  }

  /**
   * Holds the baseline at the canary's pods while it takes the canary's weight: a baseline whose
   * ReplicaSet was deleted or scaled down by someone else gets its pods back before any step goes
   * on.
   */
  private static boolean holdBaseline(PlanContext ctx) {
    int weight = ctx.status.currentWeight == null ? 0 : ctx.status.currentWeight;
    if (!Baseline.asked(ctx) || weight == 0) {
      return true;
    }
    int replicas = ctx.desired(ctx.status.currentPodHash);
    if (Baseline.scale(ctx, replicas)) {
      return true;
    }
    ctx.waitForPodsOrAbort(
        "restoring the baseline's pods at " + weight + "%: " + Baseline.progress(ctx, replicas));
    return false;
  }

  /**
   * Holds the traffic the steps set, until promotion moves it: the stable side on stable, the
   * canary side on the canary, the weight Weir last asked for. The canary side may still select
   * another revision (the previous canary, or stable at the start): it carries no traffic to the
   * new one until the weight there is 0. Any other difference is someone else's change, put back at
   * once with a warning.
   *
   * @return whether all of it holds
   */
  static boolean holdTraffic(PlanContext ctx) {
    var status = ctx.status;
    String canary = status.currentPodHash;
    int weight = status.currentWeight == null ? 0 : status.currentWeight;
    boolean stableHeld = ctx.restorePin(Side.STABLE, status.stableRS);
    boolean elsewhere =
        ctx.observed.traffic().pinned(Side.CANARY).stream()
            .anyMatch(hash -> !hash.isEmpty() && !hash.equals(canary));
    if (elsewhere && weight == 0) {
      // Weir's named routes lead to the canary side: none while it still selects another revision.
      boolean unrouted = ctx.routeNamed(List.of());
      if (ctx.routeTo(0) && unrouted) {
        ctx.pin(Side.CANARY, canary);
      }
      ctx.waitForOrAbort(
          "PinningCanary",
          "moving the canary side to " + canary + ": " + ctx.selection(Side.CANARY));
      return false;
    }
    boolean weightHeld = ctx.holdWeight(weight);
    // A canary side without a hash in its selector selects no revision in particular: pointing it
    // at the canary is no restore while the weight is 0, the start of a release.
    boolean canaryHeld =
        weight == 0 ? ctx.pin(Side.CANARY, canary) : ctx.restorePin(Side.CANARY, canary);
    if (weightHeld && canaryHeld && stableHeld) {
      var named = NamedRoutes.held(ctx);
      if (!named.isEmpty()
          && !named.equals(ctx.observed.traffic().namedRoutes())
          && ctx.available(canary) == 0) {
        // Pods before traffic: a route Weir names leads requests to the canary whatever the weight.
        CanaryScaling.scale(ctx, CanaryScaling.canaryReplicas(ctx, ctx.stepIndex(), weight));
        ctx.waitForPodsOrAbort(
            "waiting for a canary pod before the routes Weir names lead requests to it: "
                + ctx.available(canary)
                + " available");
        return false;
      }
      if (ctx.routeNamed(named)) {
        return true;
      }
      ctx.waitForOrAbort(
          "SettingRoutes",
          "setting the routes Weir names to "
              + named.stream().map(NamedRoute::name).toList()
              + (ctx.stepIndex() < ctx.steps().size() ? " at step " + stepLabel(ctx) : "")
              + ": "
              + ctx.namedReadBack());
      return false;
    }
    if (canaryHeld && stableHeld && !Objects.equals(status.verifiedWeight, weight)) {
      // Never read back yet: the step's own write is pending, nobody undid it.
      ctx.waitForOrAbort(
          "SettingWeight",
          "setting canary weight "
              + weight
              + "% "
              + (ctx.stepIndex() < ctx.steps().size() ? "at step " + stepLabel(ctx) : "to promote")
              + ": "
              + ctx.readBack());
      return false;
    }
    var restoring = new ArrayList<String>();
    if (!weightHeld) {
      restoring.add("canary weight " + weight + "% (" + ctx.readBack() + ")");
    }
    if (!canaryHeld) {
      restoring.add("the canary side on " + canary + " (" + ctx.selection(Side.CANARY) + ")");
    }
    if (!stableHeld) {
      restoring.add(
          "the stable side on " + status.stableRS + " (" + ctx.selection(Side.STABLE) + ")");
    }
    ctx.waitForOrAbort("Restoring", "restoring " + String.join(", ", restoring));
    return false;
  }

  /**
   * Holds both sides at what the steps already done asked for, out of spec.replicas as it is now: a
   * canary whose ReplicaSet was deleted or scaled down by someone else still takes traffic, so its
   * pods are made again before any step goes on, paused or not; a new spec.replicas (a
   * HorizontalPodAutoscaler's) resizes both sides at once. Neither is progress: no step advances
   * and no pause starts again for it. A step that resizes the sides itself (setWeight,
   * setCanaryScale) does so from the current spec.replicas; before it, only missing canary pods are
   * asked for, so that the hold never undoes what the step began.
   *
   * @return whether both sides have their pods (asked for; the steps wait for availability
   *     themselves)
   */
  private static boolean holdReplicas(PlanContext ctx) {
    String canary = ctx.status.currentPodHash;
    String stable = ctx.status.stableRS;
    int weight = CanaryScaling.heldWeight(ctx);
    int canaryHeld = CanaryScaling.canaryReplicas(ctx, ctx.stepIndex(), weight);
    int stableHeld =
        ctx.routed() ? CanaryScaling.stableReplicas(ctx, weight) : ctx.replicas() - canaryHeld;
    int canaryNow = ctx.desired(canary);
    int stableNow = ctx.desired(stable);
    if (stepResizes(ctx)) {
      if (canaryNow >= canaryHeld) {
        return true;
      }
      CanaryScaling.scale(ctx, canaryHeld, Math.max(stableNow, stableHeld));
    } else if (canaryNow == canaryHeld && stableNow == stableHeld) {
      return true;
    } else {
      CanaryScaling.scale(ctx, canaryHeld, stableHeld);
    }
    String sides =
        "canary "
            + ctx.available(canary)
            + "/"
            + canaryHeld
            + " available at "
            + weight
            + "%, stable "
            + ctx.available(stable)
            + "/"
            + stableHeld;
    ctx.waitForPodsOrAbort(
        stableNow == stableHeld
            ? "restoring the canary's pods at "
                + weight
                + "%, changed outside Weir: "
                + ctx.available(canary)
                + "/"
                + canaryHeld
                + " available"
            : "resizing both sides to spec.replicas " + ctx.replicas() + ": " + sides);
    return false;
  }

  /** Whether the step in progress sets the canary's pods itself. */
  private static boolean stepResizes(PlanContext ctx) {
    if (ctx.stepIndex() >= ctx.steps().size()) {
      return false;
    }
    CanaryStep step = ctx.steps().get(ctx.stepIndex());
    return step != null && (step.setWeight != null || step.setCanaryScale != null);
  }

  /** Carries out one step; true when it is done and the next may begin. */
  private boolean carryOut(PlanContext ctx, CanaryStep step) {
    if (step.setWeight != null) {
      int weight = step.setWeight;
      int target = CanaryScaling.canaryReplicas(ctx, ctx.stepIndex(), weight);
      // Traffic first both ways: more pods before more weight, less weight before fewer pods.
      boolean shrinking = target < ctx.desired(ctx.status.currentPodHash);
      if (!shrinking && !CanaryScaling.scale(ctx, target)) {
        ctx.waitForPodsOrAbort(CanaryScaling.progress(ctx, target));
        return false;
      }
      // The baseline takes as much traffic as the canary, on as many pods.
      int baselineTarget = weight == 0 ? 0 : target;
      if (!shrinking && !Baseline.scale(ctx, baselineTarget)) {
        ctx.waitForPodsOrAbort(Baseline.progress(ctx, baselineTarget));
        return false;
      }
      if (!CanaryScaling.stableCarries(ctx, weight)) {
        ctx.waitForPodsOrAbort(CanaryScaling.stableProgress(ctx, weight));
        return false;
      }
      // The wanted weight is recorded before it is verified, so that the next pass (or a
      // restarted controller) keeps asking for it rather than "restoring" the previous one.
      ctx.status.currentWeight = weight;
      if (!ctx.routeTo(weight)) {
        ctx.waitForOrAbort(
            "SettingWeight",
            "setting canary weight "
                + weight
                + "% at step "
                + stepLabel(ctx)
                + ": "
                + ctx.readBack());
        return false;
      }
      if (shrinking && !CanaryScaling.scale(ctx, target)) {
        ctx.waitForPodsOrAbort(CanaryScaling.progress(ctx, target));
        return false;
      }
      if (shrinking && weight > 0 && !Baseline.scale(ctx, target)) {
        ctx.waitForPodsOrAbort(Baseline.progress(ctx, target));
        return false;
      }
      ctx.event(
          RolloutEvent.of(
              EventReason.WeightSet, "canary weight " + weight + "% at step " + stepLabel(ctx)));
      return true;
    }
    if (step.setCanaryScale != null) {
      int weight = ctx.status.currentWeight == null ? 0 : ctx.status.currentWeight;
      int target = CanaryScaling.canaryReplicas(ctx, ctx.stepIndex(), weight);
      if (!CanaryScaling.scale(ctx, target)) {
        ctx.waitForPodsOrAbort(CanaryScaling.progress(ctx, target));
        return false;
      }
      return true;
    }
    if (NamedRoutes.routes(step)) {
      // holdTraffic set the step's route and read it back before any step began.
      ctx.event(
          RolloutEvent.of(
              EventReason.RouteSet, NamedRoutes.describe(step) + " at step " + stepLabel(ctx)));
      return true;
    }
    if (step.analysis != null) {
      return RolloutAnalyses.stepPassed(ctx);
    }
    return pause(ctx, step);
  }

  private boolean pause(PlanContext ctx, CanaryStep step) {
    if (step.pause.duration == null) {
      ctx.awaitPromotion(PAUSE_STEP, "paused at step " + stepLabel(ctx) + ": waiting for promote");
      return false;
    }
    PauseCondition pause = ctx.pauseFor(PAUSE_STEP);
    Duration duration = Durations.parse(step.pause.duration);
    Instant end = Instant.parse(pause.startTime).plus(duration);
    if (!ctx.now().isBefore(end)) {
      ctx.unpause(PAUSE_STEP);
      return true;
    }
    ctx.requeueIn(Duration.between(ctx.now(), end));
    ctx.outcome(
        RolloutPhase.Paused,
        PAUSE_STEP,
        "paused at step " + stepLabel(ctx) + " until " + end.truncatedTo(ChronoUnit.SECONDS));
    return false;
  }

  /**
   * spec.paused holds the rollout where it is, before a step or before promotion; lifting it
   * restarts the progress deadline.
   */
  static boolean heldBySpecPaused(PlanContext ctx) {
    if (Boolean.TRUE.equals(ctx.spec.paused)) {
      ctx.pauseFor(USER_PAUSE);
      ctx.outcome(
          RolloutPhase.Paused, USER_PAUSE, "paused by spec.paused at step " + stepLabel(ctx));
      return true;
    }
    ctx.unpause(USER_PAUSE);
    return false;
  }

  static String stepLabel(PlanContext ctx) {
    return (ctx.stepIndex() + 1) + "/" + ctx.steps().size();
  }
}
