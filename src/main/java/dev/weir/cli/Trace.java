package dev.weir.cli;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code KUBECTL_WEIR_TRACE=1}: where a run's time goes, on stderr, in milliseconds since the
 * process started (the JVM's own start-up included). For bench/plugin-startup and for tuning.
 */
final class Trace {

  private static final boolean ON = System.getenv("KUBECTL_WEIR_TRACE") != null;
  private static final Instant START =
      ON ? ProcessHandle.current().info().startInstant().orElse(Instant.now()) : null;

  private Trace() {}

  static void mark(String what) {
    if (ON) {
      long ms = Duration.between(START, Instant.now()).toMillis();
      System.err.println(
          "[trace] " + ms + " ms " + what + " (" + Thread.currentThread().getName() + ")");
    }
  }
}
