package dev.weir.reconcile;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Interrupts a reconcile that outlives its deadline, so that no rollout waits on one forever. The
 * Kubernetes client bounds a request once it is on a connection, not the wait for one: with every
 * connection reset at once, a status write was seen to wait for its answer for minutes, holding the
 * rollout's reconcile, and with it the release, at a pause long past its end. Interrupted, the
 * request fails, the reconcile ends in an error and is retried on a new connection.
 */
public final class ReconcileDeadline implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ReconcileDeadline.class);

  /**
   * How long a reconcile may run before it is interrupted and retried. One takes well under a
   * second; each request it makes gives up after the client's 10 s timeout once sent.
   */
  public static final Duration LIMIT = Duration.ofSeconds(20);

  private static final ScheduledExecutorService ALARMS =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            var thread = new Thread(r, "weir-reconcile-deadline");
            thread.setDaemon(true);
            return thread;
          });

  private final Thread reconciling = Thread.currentThread();
  private final String what;
  private final Duration limit;
  private boolean running = true;
  private ScheduledFuture<?> alarm;

  private ReconcileDeadline(String what, Duration limit) {
    this.what = what;
    this.limit = limit;
  }

  /**
   * A deadline for the reconcile running on this thread, of {@code what} (for the log). A rollout's
   * and a standalone AnalysisRun's reconcile have one: both write status and may measure.
   */
  public static ReconcileDeadline start(String what) {
    return start(what, LIMIT);
  }

  static ReconcileDeadline start(String what, Duration limit) {
    var deadline = new ReconcileDeadline(what, limit);
    deadline.alarm = ALARMS.schedule(deadline::expire, limit.toMillis(), TimeUnit.MILLISECONDS);
    return deadline;
  }

  private synchronized void expire() {
    if (!running) {
      return;
    }
    var waitingAt =
        Arrays.stream(reconciling.getStackTrace())
            .filter(frame -> frame.getClassName().startsWith("dev.weir."))
            .findFirst()
            .map(StackTraceElement::toString)
            .orElse("outside Weir");
    LOG.warnf(
        "reconcile of %s still running after %s (waiting at %s): interrupted, to be retried",
        what, limit, waitingAt);
    reconciling.interrupt();
  }

  /** Ends the deadline; the thread goes back to its pool with no interrupt pending. */
  @Override
  public void close() {
    synchronized (this) {
      running = false;
    }
    alarm.cancel(false);
    // An interrupt the alarm sent (or the client re-asserted) must not reach the pool's next task.
    Thread.interrupted();
  }
}
