package dev.weir.traffic;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.TrafficRouting;

/**
 * The two sides of a release as each strategy names them: a canary's stable and canary Services, a
 * blue-green's active and preview Services. Routers speak of {@link Side}s; this says which Service
 * and which field of the spec each side is.
 */
public final class ReleaseSides {

  private ReleaseSides() {}

  private static boolean blueGreen(Rollout rollout) {
    return rollout.getSpec().strategy.blueGreen != null;
  }

  /**
   * The spec field that holds the strategy: {@code spec.strategy.canary} or {@code ...blueGreen}.
   */
  public static String strategyField(Rollout rollout) {
    return blueGreen(rollout) ? "spec.strategy.blueGreen" : "spec.strategy.canary";
  }

  /** The Service of a side, or null when the spec names none. */
  public static String service(Rollout rollout, Side side) {
    var strategy = rollout.getSpec().strategy;
    if (blueGreen(rollout)) {
      return side == Side.STABLE
          ? strategy.blueGreen.activeService
          : strategy.blueGreen.previewService;
    }
    return side == Side.STABLE ? strategy.canary.stableService : strategy.canary.canaryService;
  }

  /** The field that names the Service of a side. */
  public static String serviceField(Rollout rollout, Side side) {
    if (blueGreen(rollout)) {
      return strategyField(rollout) + (side == Side.STABLE ? ".activeService" : ".previewService");
    }
    return strategyField(rollout) + (side == Side.STABLE ? ".stableService" : ".canaryService");
  }

  /** The strategy's trafficRouting, or null. */
  public static TrafficRouting routing(Rollout rollout) {
    var strategy = rollout.getSpec().strategy;
    return blueGreen(rollout) ? strategy.blueGreen.trafficRouting : strategy.canary.trafficRouting;
  }
}
