package dev.weir.bench;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers every reconcile, through JOSDK's own monitoring hook: {@link
 * Metrics#timeControllerExecution} wraps each call of a reconciler's {@code reconcile} on the
 * executor thread that runs it. While it runs, {@link #current()} names it on that thread, so that
 * whatever the reconcile does there (a Prometheus query, an API request) can be tagged with it.
 */
final class ReconcileTracker implements Metrics {

  /** One call of a reconciler's {@code reconcile}. */
  static final class Reconcile {
    final long id;
    final String controller;
    final String namespace;
    final String name;
    final String thread;
    final Instant startedAt;
    volatile Instant finishedAt;

    Reconcile(long id, String controller, String namespace, String name, Instant startedAt) {
      this.id = id;
      this.controller = controller;
      this.namespace = namespace;
      this.name = name;
      this.thread = Thread.currentThread().getName();
      this.startedAt = startedAt;
    }

    boolean of(String controller, String namespace, String name) {
      return this.controller.equals(controller)
          && name.equals(this.name)
          && namespace.equals(this.namespace);
    }
  }

  private static final ThreadLocal<Reconcile> CURRENT = new ThreadLocal<>();
  private static final String RECONCILE = "reconcile";

  private final Clock clock;
  private final AtomicLong ids = new AtomicLong();
  private final List<Reconcile> reconciles = new ArrayList<>();

  ReconcileTracker(Clock clock) {
    this.clock = clock;
  }

  /** The reconcile running on this thread, if any. */
  static Optional<Reconcile> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    if (!RECONCILE.equals(execution.name())) {
      return execution.execute();
    }
    var resource = execution.resourceID();
    var reconcile =
        new Reconcile(
            ids.incrementAndGet(),
            execution.controllerName(),
            resource.getNamespace().orElse(""),
            resource.getName(),
            clock.instant());
    synchronized (reconciles) {
      reconciles.add(reconcile);
    }
    Reconcile outer = CURRENT.get();
    CURRENT.set(reconcile);
    try {
      return execution.execute();
    } finally {
      reconcile.finishedAt = clock.instant();
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  List<Reconcile> all() {
    synchronized (reconciles) {
      return List.copyOf(reconciles);
    }
  }

  Optional<Reconcile> byId(long id) {
    return all().stream().filter(r -> r.id == id).findFirst();
  }
}
