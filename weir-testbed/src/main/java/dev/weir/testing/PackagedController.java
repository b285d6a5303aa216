package dev.weir.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Weir's controller as it ships: the packaged Quarkus application ({@code
 * weir-controller/target/quarkus-app/quarkus-run.jar}, what {@code ./weir} runs) in a process of
 * its own, against the real API server under the chart's identity, so that a test can kill it as
 * the kernel would (SIGKILL: no shutdown hook, no last write) and start it again.
 */
public final class PackagedController implements AutoCloseable {

  /** {@code -Dweir.app.jar} names the packaged application; failsafe sets it. */
  public static final String JAR_PROPERTY = "weir.app.jar";

  private final Path jar;
  private final Path kubeconfig;
  private final Map<String, String> environment;
  private final Path log;
  private Process process;
  private int starts;

  private PackagedController(Path jar, Path kubeconfig, Map<String, String> environment, Path log) {
    this.jar = jar;
    this.kubeconfig = kubeconfig;
    this.environment = environment;
    this.log = log;
  }

  /**
   * The packaged controller of this tree, with the operator identity of the cluster and the
   * environment given ({@code WEIR_PROMETHEUS_ADDRESS}, say), logging to {@code log}; not started.
   */
  public static PackagedController of(
      RealControlPlane cluster, Map<String, String> environment, Path log) {
    Path jar =
        Path.of(
                System.getProperty(
                    JAR_PROPERTY, "weir-controller/target/quarkus-app/quarkus-run.jar"))
            .toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar + " is missing: package the controller first (mvn -pl weir-controller package)");
    }
    try {
      Files.createDirectories(log.getParent());
      // KUBECONFIG is a colon-separated list, and the identity's file name has colons in it.
      Path kubeconfig = log.resolveSibling("operator.kubeconfig");
      Files.copy(cluster.operatorKubeconfig(), kubeconfig, StandardCopyOption.REPLACE_EXISTING);
      return new PackagedController(jar, kubeconfig, environment, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the controller (again); its output goes to the end of the log. */
  public synchronized PackagedController start() {
    var builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            jar.toString());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    // Free ports: the health endpoints and Weir's metrics are not what is tested here.
    builder.environment().put("QUARKUS_HTTP_PORT", "0");
    builder.environment().put("WEIR_METRICS_PORT", "0");
    builder.environment().putAll(environment);
    builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      Files.writeString(
          log,
          "\n===== start " + (++starts) + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Kills it with SIGKILL and returns once it is gone. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Whether it runs now. */
  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /** The last lines of its log, for a failure message. */
  public String logTail(int lines) {
    try {
      var all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log " + log + ": " + e.getMessage() + ")";
    }
  }

  /** Stops it as Kubernetes stops a pod: SIGTERM, then SIGKILL after a grace period. */
  @Override
  public synchronized void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }
}
