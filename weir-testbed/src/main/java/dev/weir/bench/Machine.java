package dev.weir.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a benchmark ran on, for its conditions block: cores, CPU, memory, system, load before
 * and after (other work on the machine counts), Java.
 */
final class Machine {

  private final double[] loadBefore;
  private double[] loadAfter;

  private Machine(double[] loadBefore) {
    this.loadBefore = loadBefore;
  }

  /** Takes the load average before the measured part. */
  static Machine before() {
    return new Machine(loadAverage());
  }

  /** Takes the load average after the measured part. */
  void after() {
    loadAfter = loadAverage();
  }

  /** The machine, load and java lines, indented as the benchmarks' conditions. */
  String describe() {
    double[] after = loadAfter == null ? loadBefore : loadAfter;
    return String.format(
        "  machine    %d cores (%s), %.1f GiB memory; %s %s %s%n"
            + "  load       %.2f %.2f %.2f before, %.2f %.2f %.2f after (1, 5, 15 min averages;"
            + " other work on the machine counts)%n"
            + "  java       %s (%s, %s), max heap %d MiB%n",
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        totalMemoryGiB(),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("os.arch"),
        loadBefore[0],
        loadBefore[1],
        loadBefore[2],
        after[0],
        after[1],
        after[2],
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        System.getProperty("java.vendor"),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }

  private static double[] loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
      return new double[] {
        Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])
      };
    } catch (IOException | RuntimeException e) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static double totalMemoryGiB() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getTotalMemorySize() / (1024.0 * 1024 * 1024);
    }
    return 0;
  }
}
