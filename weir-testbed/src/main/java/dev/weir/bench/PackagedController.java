package dev.weir.bench;

import dev.weir.bench.ControllerStartupBench.Running;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** The packaged controller ({@code java -jar quarkus-run.jar}) as a process of its own. */
final class PackagedController implements Running {

  private final Process process;
  private final Duration stopWithin;

  private PackagedController(Process process, Duration stopWithin) {
    this.process = process;
    this.stopWithin = stopWithin;
  }

  /** Starts it on {@code jdk} with {@code jvmArgs}; it is given 20 s to stop on close. */
  static PackagedController start(
      Path jdk, List<String> jvmArgs, Path jar, Path kubeconfig, int port, Path log)
      throws IOException {
    return start(jdk, jvmArgs, jar, kubeconfig, port, log, Duration.ofSeconds(20));
  }

  /**
   * Starts it, giving it {@code stopWithin} to stop on close: a training start writes its archive
   * while it stops, which takes longer than an ordinary stop.
   */
  static PackagedController start(
      Path jdk,
      List<String> jvmArgs,
      Path jar,
      Path kubeconfig,
      int port,
      Path log,
      Duration stopWithin)
      throws IOException {
    var command = new ArrayList<String>();
    command.add(jdk.resolve("bin/java").toString());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar.toString());
    var builder = new ProcessBuilder(command);
    builder.environment().put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    builder.environment().put("WEIR_METRICS_PORT", "0");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new PackagedController(builder.start(), stopWithin);
  }

  /** Its process id, for jcmd and /proc. */
  long pid() {
    return process.pid();
  }

  @Override
  public OptionalLong cpuMillis() {
    return process
        .info()
        .totalCpuDuration()
        .map(d -> OptionalLong.of(d.toMillis()))
        .orElse(OptionalLong.empty());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(stopWithin.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
