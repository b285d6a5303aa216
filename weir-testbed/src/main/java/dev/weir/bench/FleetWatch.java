package dev.weir.bench;

import dev.weir.api.v1alpha1.Durations;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.testing.OnChange;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the fleet's user sees, from watches of its own: every canary weight written to a
 * VirtualService, when the watch delivered it, and every timed pause's scheduled end, as the
 * rollout's status declares it (the pause's start plus the step's duration). Step lateness is the
 * time from a pause's scheduled end to the next weight written for that rollout.
 */
final class FleetWatch implements AutoCloseable {

  /** A weight seen written. */
  record WeightSeen(Instant at, Integer canaryWeight) {}

  private final String namespace;
  private final SharedIndexInformer<Rollout> rollouts;
  private final SharedIndexInformer<VirtualService> virtualServices;
  private final Map<String, Integer> weights = new ConcurrentHashMap<>();
  private final Map<String, List<WeightSeen>> weightsSeen = new ConcurrentHashMap<>();

  /** Per rollout, the scheduled end of each pause it began, by the pause's start. */
  private final Map<String, Map<String, Instant>> pauseEnds = new ConcurrentHashMap<>();

  FleetWatch(KubernetesClient client, String namespace) {
    this.namespace = namespace;
    virtualServices =
        client
            .resources(VirtualService.class)
            .inNamespace(namespace)
            .inform(new OnChange<>(this::weightOf));
    rollouts =
        client
            .resources(Rollout.class)
            .inNamespace(namespace)
            .inform(new OnChange<>(this::pauseOf));
  }

  private void weightOf(VirtualService vs) {
    Integer canary =
        vs.getSpec().getHttp().get(0).getRoute().stream()
            .filter(r -> r.getDestination().getHost().endsWith("-canary"))
            .map(r -> r.getWeight())
            .findFirst()
            .orElse(null);
    String name = vs.getMetadata().getName();
    Integer before = weights.put(name, canary == null ? -1 : canary);
    if (before != null && !before.equals(weights.get(name))) {
      weightsSeen
          .computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
          .add(new WeightSeen(Instant.now(), canary));
    }
  }

  private void pauseOf(Rollout rollout) {
    RolloutStatus status = rollout.getStatus();
    if (status == null || status.currentStepIndex == null || status.pauseConditions == null) {
      return;
    }
    var steps = rollout.getSpec().strategy.canary.steps;
    if (status.currentStepIndex >= steps.size()) {
      return;
    }
    var step = steps.get(status.currentStepIndex);
    if (step.pause == null || step.pause.duration == null) {
      return;
    }
    Duration duration = Durations.parse(step.pause.duration);
    for (var pause : status.pauseConditions) {
      if ("CanaryPauseStep".equals(pause.reason) && pause.startTime != null) {
        pauseEnds
            .computeIfAbsent(rollout.getMetadata().getName(), n -> new ConcurrentHashMap<>())
            .putIfAbsent(pause.startTime, Instant.parse(pause.startTime).plus(duration));
      }
    }
  }

  /** Forgets what was seen so far: the next release is measured on its own. */
  void forget() {
    weightsSeen.clear();
    pauseEnds.clear();
  }

  /** How many of the named rollouts have settled Healthy on the revision they declare. */
  long settled(Collection<String> names) {
    return names.stream()
        .map(n -> rollouts.getStore().getByKey(namespace + "/" + n))
        .filter(Objects::nonNull)
        .filter(FleetWatch::settled)
        .count();
  }

  /** Waits until every named rollout has settled, failing with how far it got {@code within}. */
  void awaitSettled(Collection<String> names, Duration within, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    long settled;
    while ((settled = settled(names)) < names.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            what + ": only " + settled + " of " + names.size() + " settled in time");
      }
      Thread.sleep(250);
    }
  }

  static boolean settled(Rollout r) {
    var s = r.getStatus();
    return s != null
        && s.phase == RolloutPhase.Healthy
        && Objects.equals(s.observedGeneration, r.getMetadata().getGeneration())
        && s.stableRS != null
        && s.stableRS.equals(s.currentPodHash);
  }

  /**
   * The lateness of every pause of the named rollouts that has ended: from its scheduled end to the
   * next weight seen written; a pause whose end saw no weight yet is counted in {@code missing}.
   */
  Lateness lateness(Collection<String> names) {
    var late = new ArrayList<Duration>();
    int missing = 0;
    for (String name : names) {
      var seen = weightsSeen.getOrDefault(name, List.of());
      for (Instant end : pauseEnds.getOrDefault(name, Map.of()).values()) {
        var next = seen.stream().map(WeightSeen::at).filter(at -> !at.isBefore(end)).findFirst();
        if (next.isPresent()) {
          late.add(Duration.between(end, next.get()));
        } else {
          missing++;
        }
      }
    }
    return new Lateness(late, missing);
  }

  /** Step lateness, sorted. */
  record Lateness(List<Duration> values, int missing) {
    Lateness {
      values = values.stream().sorted().toList();
    }

    Duration percentile(double p) {
      if (values.isEmpty()) {
        return null;
      }
      int index = (int) Math.ceil(p / 100.0 * values.size()) - 1;
      return values.get(Math.max(0, Math.min(values.size() - 1, index)));
    }
  }

  @Override
  public void close() {
    rollouts.close();
    virtualServices.close();
  }
}
