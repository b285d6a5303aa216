package dev.weir.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The memory of a controller running as its own process: the Java heap in use right after a full GC
 * (what the fleet really holds, not what is waiting to be collected), asked of the JVM with {@code
 * jcmd}, and the resident set size the kernel reports in {@code /proc/PID/status}.
 */
final class ControllerMemory {

  /** G1's line of {@code GC.heap_info}: {@code garbage-first heap total 262144K, used 45678K}. */
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

  private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private ControllerMemory() {}

  /** The heap in use after a full GC, in MiB; the GC pauses the controller for its duration. */
  static double heapAfterFullGcMiB(long pid) {
    jcmd(pid, "GC.run");
    var m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    if (!m.find()) {
      throw new IllegalStateException("no heap figure in jcmd " + pid + " GC.heap_info");
    }
    return Long.parseLong(m.group(1)) / 1024.0;
  }

  /** The resident set size, in MiB. */
  static double rssMiB(long pid) {
    try {
      var m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
      if (!m.find()) {
        throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
      }
      return Long.parseLong(m.group(1)) / 1024.0;
    } catch (IOException e) {
      throw new IllegalStateException("the controller (pid " + pid + ") is gone", e);
    }
  }

  private static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      var process =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + jcmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
