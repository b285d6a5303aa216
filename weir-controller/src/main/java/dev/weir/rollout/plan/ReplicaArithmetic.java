package dev.weir.rollout.plan;

import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * Replica counts of a canary, as pure functions.
 *
 * <p>{@code replicas} is the rollout's total (spec.replicas, which a HorizontalPodAutoscaler sets
 * through the scale subresource). With traffic routing the stable revision keeps that many pods and
 * the canary gets {@code ceil(replicas * weight / 100)}: 5 replicas at 10 % give 1 canary pod, at
 * 30 % 2, at 60 % 3. With dynamicStableScale the stable side keeps only its own share, {@code
 * ceil(replicas * (100 - weight) / 100)}.
 *
 * <p>Without traffic routing the canary's share of the traffic is its share of the pods, so the two
 * sides trade pods within maxSurge and maxUnavailable, like a Deployment's rolling update. Example,
 * 4 replicas, maxSurge 1, maxUnavailable 0, target 2 canary / 2 stable, from 4 stable: first 1
 * canary pod (surge), when it is available 1 stable pod goes, then the second canary pod, then the
 * second stable pod.
 */
public final class ReplicaArithmetic {

  private ReplicaArithmetic() {}

  /** Canary pods for a traffic weight: rounded up, so that any weight above 0 gets a pod. */
  public static int canaryReplicas(int replicas, int weight) {
    return (int) Math.ceil(replicas * weight / 100.0);
  }

  /**
   * Stable pods for the traffic the stable side carries while the canary has {@code canaryWeight}:
   * rounded up, so that the two sides together never have fewer pods than replicas. 5 replicas at
   * 10 % keep 5 stable pods, at 30 % 4, at 60 % 2, at 100 % none.
   */
  public static int stableReplicas(int replicas, int canaryWeight) {
    return (int) Math.ceil(replicas * (100 - canaryWeight) / 100.0);
  }

  /** A number or a percentage of replicas; percentages round up for surge, down otherwise. */
  public static int resolve(IntOrString value, int replicas, int fallbackPercent, boolean roundUp) {
    if (value == null) {
      return percentOf(replicas, fallbackPercent, roundUp);
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal();
    int percent = Integer.parseInt(text.substring(0, text.length() - 1));
    return percentOf(replicas, percent, roundUp);
  }

  private static int percentOf(int replicas, int percent, boolean roundUp) {
    double exact = replicas * percent / 100.0;
    return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
  }

  /** Spec and availability of one side. */
  public record Side(int replicas, int available) {}

  /** The next replica counts on the way to the targets. */
  public record Step(int stable, int canary) {}

  /**
   * The next replica counts for stable and canary on their way to the targets, never above {@code
   * replicas + maxSurge} pods nor below {@code replicas - maxUnavailable} available ones. Scale-ups
   * come first; a scale-down only removes pods whose loss the availability bound allows
   * (unavailable pods can always go).
   */
  public static Step next(
      int replicas,
      int maxSurge,
      int maxUnavailable,
      Side stable,
      Side canary,
      int stableTarget,
      int canaryTarget) {
    int stableNext = stable.replicas();
    int canaryNext = canary.replicas();
    int room = Math.max(0, replicas + maxSurge - stableNext - canaryNext);
    if (canaryNext < canaryTarget) {
      int add = Math.min(canaryTarget - canaryNext, room);
      canaryNext += add;
      room -= add;
    }
    if (stableNext < stableTarget) {
      stableNext += Math.min(stableTarget - stableNext, room);
    }
    int spare = Math.max(0, stable.available() + canary.available() - (replicas - maxUnavailable));
    if (stableNext > stableTarget) {
      int unavailable = Math.max(0, stable.replicas() - stable.available());
      int cut = Math.min(stableNext - stableTarget, spare + unavailable);
      stableNext -= cut;
      spare -= Math.max(0, cut - unavailable);
    }
    if (canaryNext > canaryTarget) {
      int unavailable = Math.max(0, canary.replicas() - canary.available());
      canaryNext -= Math.min(canaryNext - canaryTarget, Math.max(0, spare) + unavailable);
    }
    return new Step(stableNext, canaryNext);
  }
}
