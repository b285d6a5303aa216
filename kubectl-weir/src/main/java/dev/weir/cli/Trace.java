package dev.weir.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code KUBECTL_WEIR_TRACE=1}: where a run's time goes, on stderr, in milliseconds since the
 * process started (the launcher's and the JVM's own start-up included). For bench/plugin-startup
 * and for tuning.
 */
public final class Trace {

  private static final boolean ON = System.getenv("KUBECTL_WEIR_TRACE") != null;

  /** Linux's clock ticks per second for /proc times ({@code getconf CLK_TCK}; 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100;

  /** {@code System.nanoTime()} at the process's start, as near as /proc tells it (10 ms). */
  private static final long START_NANOS = ON ? startNanos() : 0;

  private Trace() {}

  public static void mark(String what) {
    if (ON) {
      long ms = (System.nanoTime() - START_NANOS) / 1_000_000;
      System.err.println(
          "[trace] " + ms + " ms " + what + " (" + Thread.currentThread().getName() + ")");
    }
  }

  /**
   * The process's age from /proc: the system's uptime less the process's start time since boot.
   * ProcessHandle's start instant is no use here: it adds the boot time, which /proc gives in whole
   * seconds.
   */
  private static long startNanos() {
    long now = System.nanoTime();
    try {
      double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      double started = Long.parseLong(fields[19]) / TICKS_PER_SECOND;
      return now - (long) ((uptime - started) * 1e9);
    } catch (IOException | RuntimeException e) {
      return now; // not Linux: times since the first mark's class loaded
    }
  }
}
