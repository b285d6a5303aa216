package dev.weir.bench;

import static java.util.concurrent.TimeUnit.SECONDS;

import dev.weir.bench.ControllerStartupBench.Running;
import dev.weir.bench.ControllerStartupBench.Variant;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * A controller's speed once started and warm: whatever a start-up archive or cache changes in what
 * is loaded first, the code that runs releases must be as fast as without it. A fleet of canary
 * rollouts is created and released twice; the first release warms the JIT, the second is timed, as
 * wall clock and, where the process is ours, as the CPU time the controller spent on it (the figure
 * the JIT's code decides; the wall clock is mostly the steps' pauses).
 */
final class PeakReleases {

  /** Rollouts released at once. */
  static final int FLEET = 50;

  /** Each pause of the fleet's steps. */
  static final String PAUSE = "1s";

  private static final Duration WITHIN = Duration.ofSeconds(300);

  record Peak(long wallMillis, OptionalLong cpuMillis) {}

  private PeakReleases() {}

  /**
   * Starts {@code variant}, releases a fresh fleet in {@code namespace} twice, times the second.
   */
  static Peak measure(KubernetesClient admin, Variant variant, String namespace, Path logs)
      throws Exception {
    int port = ControllerStartupBench.freePort();
    Path log = logs.resolve("peak-" + namespace + ".log");
    try (Running running = variant.start(port, log);
        var fleet = new Fleet(admin, namespace, PAUSE, 8);
        var watch = new FleetWatch(admin, namespace)) {
      ControllerStartupBench.awaitReady(variant, port, log);
      fleet.growTo(FLEET);
      var names = fleet.names();
      watch.awaitSettled(names, WITHIN, variant.name() + ": the fleet Healthy");
      fleet.release(names, "registry.example/checkout:warm-up");
      watch.awaitSettled(names, WITHIN, variant.name() + ": the warm-up release");
      var cpuBefore = running.cpuMillis();
      long t0 = System.nanoTime();
      fleet.release(names, "registry.example/checkout:timed");
      watch.awaitSettled(names, WITHIN, variant.name() + ": the timed release");
      long wall = (System.nanoTime() - t0) / 1_000_000;
      var cpuAfter = running.cpuMillis();
      // Gone while this controller still runs: it lifts its finalizers, so that the next
      // variant's controller starts on a cluster without them.
      admin.namespaces().withName(namespace).delete();
      admin.namespaces().withName(namespace).waitUntilCondition(ns -> ns == null, 300, SECONDS);
      return new Peak(
          wall,
          cpuBefore.isPresent() && cpuAfter.isPresent()
              ? OptionalLong.of(cpuAfter.getAsLong() - cpuBefore.getAsLong())
              : OptionalLong.empty());
    }
  }
}
