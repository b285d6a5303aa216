package dev.weir.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The real {@code kubectl} with the packaged plugin ({@code kubectl-weir/target/kubectl-weir},
 * built by {@code mvn package}) first on its PATH, run as a user runs it: {@code kubectl weir get
 * rollout ...}. A fresh HOME, the given kubeconfig, the JDK of the build; what it prints and its
 * exit code are what the tests look at.
 */
public final class KubectlWeir {

  /** A bound on one command, so that a hung command fails its test instead of hanging the build. */
  public static final Duration PATIENCE = Duration.ofSeconds(90);

  /** What a command printed, and its exit code. */
  public record Result(int exitCode, String out, String err) {

    /** stdout and stderr, for assertion messages. */
    public String both() {
      return "exit code " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final Path kubeconfig;
  private final Path work;
  private final boolean withPlugin;

  public KubectlWeir(Path kubeconfig) {
    this(kubeconfig, true);
  }

  /** The real kubectl alone, for what it does without the plugin ({@code kubectl scale}). */
  public static KubectlWeir withoutPlugin(Path kubeconfig) {
    return new KubectlWeir(kubeconfig, false);
  }

  private KubectlWeir(Path kubeconfig, boolean withPlugin) {
    this.kubeconfig = kubeconfig;
    this.withPlugin = withPlugin;
    try {
      this.work = Files.createTempDirectory("kubectl-weir-test-");
      Files.createDirectories(work.resolve("home"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The plugin as the build packaged it. */
  public static Path pluginDir() {
    Path dir = Path.of(System.getProperty("weir.plugin.dir", "kubectl-weir/target/kubectl-weir"));
    assertThat(dir.resolve("kubectl-weir"))
        .as("the packaged plugin (mvn package builds it)")
        .isExecutable();
    return dir.toAbsolutePath();
  }

  /** The real kubectl: {@code -Dweir.kubectl}, else the one on PATH. */
  public static Path kubectlBinary() {
    String configured = System.getProperty("weir.kubectl");
    if (configured != null) {
      return Path.of(configured);
    }
    for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("kubectl is not on PATH: the plugin is tested through the real one");
  }

  /** {@code kubectl weir ARGS...}. */
  public Result weir(String... args) {
    var command = new ArrayList<String>();
    command.add("weir");
    command.addAll(List.of(args));
    return kubectl(command.toArray(new String[0]));
  }

  /** {@code kubectl ARGS...}. */
  public Result kubectl(String... args) {
    var running = start(args);
    return running.finish();
  }

  /** Starts {@code kubectl weir ARGS...} (a watch) and returns at once. */
  public Running startWeir(String... args) {
    var command = new ArrayList<String>();
    command.add("weir");
    command.addAll(List.of(args));
    return start(command.toArray(new String[0]));
  }

  /** Runs a shell command line with the same environment (for {@code script}, {@code bash}). */
  public Result shell(String commandLine) {
    return start(List.of("bash", "-c", commandLine)).finish();
  }

  private Running start(String... args) {
    var command = new ArrayList<String>();
    command.add(kubectlBinary().toString());
    command.addAll(List.of(args));
    return start(command);
  }

  private Running start(List<String> command) {
    try {
      Path out = Files.createTempFile(work, "out-", ".txt");
      Path err = Files.createTempFile(work, "err-", ".txt");
      var builder =
          new ProcessBuilder(command)
              .directory(new File(System.getProperty("user.dir")))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      environment(builder.environment());
      return new Running(builder.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void environment(Map<String, String> env) {
    env.clear();
    env.put(
        "PATH",
        (withPlugin ? pluginDir() + File.pathSeparator : "")
            + kubectlBinary().getParent()
            + File.pathSeparator
            + "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", work.resolve("home").toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("LANG", "C.UTF-8");
    if (kubeconfig != null) {
      env.put("KUBECONFIG", kubeconfig.toString());
    }
  }

  /** A command still running: its output so far, and its end. */
  public static final class Running implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;

    Running(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    public String out() {
      return read(out);
    }

    public String err() {
      return read(err);
    }

    /** Waits until what it printed so far satisfies {@code condition}, and returns it. */
    public String awaitOut(String what, Predicate<String> condition) {
      try {
        await(what)
            .atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(200))
            .until(() -> condition.test(out()));
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(
            "kubectl weir never printed "
                + what
                + "; it printed:\n"
                + out()
                + "\nstderr:\n"
                + err(),
            e);
      }
      return out();
    }

    public boolean alive() {
      return process.isAlive();
    }

    public Result finish() {
      try {
        if (!process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
          close();
          throw new AssertionError(
              "the command did not end within " + PATIENCE + "; it printed:\n" + out() + err());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      return new Result(process.exitValue(), out(), err());
    }

    @Override
    public void close() {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static String read(Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
