package dev.weir.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.v1alpha1.Durations;
import dev.weir.cli.CliException;
import dev.weir.cli.ExitCode;
import dev.weir.cli.Json;
import dev.weir.cli.cluster.Rollouts;
import dev.weir.cli.view.Ages;
import dev.weir.cli.view.RolloutViews;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.Watch;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code kubectl weir status NAME [--timeout D]}. */
@Command(
    name = "status",
    description = {
      "Wait until the rollout is Healthy, Degraded or Paused, printing its progress, and exit with"
          + " a code that says which: for CI pipelines.",
      "Only a status Weir computed from the current spec counts: right after a change of the"
          + " template, the command waits for Weir to see it.",
      "",
      "Exit codes: 0 Healthy, 1 Degraded (aborted, invalid spec, past its progress deadline) or"
          + " an error, 2 Paused, 3 the timeout passed while the rollout was still Progressing."
    },
    mixinStandardHelpOptions = true)
final class StatusCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "NAME", description = "Name of the rollout.")
  String name;

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Give up after this long (30s, 5m, 1h30m); 0, the default, waits forever.")
  Duration timeout = Duration.ZERO;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    return await(cluster.rollouts(), name, timeout, spec.commandLine().getOut());
  }

  /** The verdict of one reading, or null while the rollout is still on its way. */
  static Integer verdict(JsonNode rollout) {
    JsonNode status = rollout.path("status");
    long generation = rollout.path("metadata").path("generation").asLong(0);
    long observed = status.path("observedGeneration").asLong(-1);
    if (observed < generation) {
      return null;
    }
    return switch (RolloutViews.phase(status)) {
      case "Healthy" -> ExitCode.OK;
      case "Degraded" -> ExitCode.DEGRADED;
      case "Paused" -> ExitCode.PAUSED;
      default -> null;
    };
  }

  /** One line per change of what the rollout is doing; the last one says where it ended. */
  static String describe(JsonNode rollout) {
    JsonNode status = rollout.path("status");
    String phase = RolloutViews.phase(status);
    long generation = rollout.path("metadata").path("generation").asLong(0);
    if (status.path("observedGeneration").asLong(-1) < generation) {
      return "Waiting for Weir to observe generation " + generation + " of the spec";
    }
    String message = Json.text(status, "message");
    return phase + (message == null || message.isEmpty() ? "" : " - " + message);
  }

  static int await(Rollouts rollouts, String name, Duration timeout, PrintWriter out)
      throws InterruptedException {
    Instant deadline = timeout.isZero() ? null : Instant.now().plus(timeout);
    var changes = new Changes();
    Watch watch = rollouts.watchRollout(name, c -> changes.changed(), changes::closed);
    try {
      String last = null;
      while (true) {
        JsonNode rollout = rollouts.get(name);
        String line = describe(rollout);
        if (!line.equals(last)) {
          out.println(line);
          out.flush();
          last = line;
        }
        Integer verdict = verdict(rollout);
        if (verdict != null) {
          return verdict;
        }
        Duration wait = Duration.ofSeconds(2);
        if (deadline != null) {
          Duration left = Duration.between(Instant.now(), deadline);
          if (left.isNegative() || left.isZero()) {
            throw new CliException(
                "error: timed out after "
                    + Ages.human(timeout)
                    + " waiting for "
                    + Rollouts.ref(name)
                    + " to be Healthy, Degraded or Paused",
                ExitCode.TIMEOUT);
          }
          wait = left.compareTo(wait) < 0 ? left : wait;
        }
        changes.await(wait);
        if (changes.takeClosed()) {
          watch.close();
          watch = rollouts.watchRollout(name, c -> changes.changed(), changes::closed);
        }
      }
    } finally {
      watch.close();
    }
  }

  /**
   * Durations as kubectl takes them: {@code 30s}, {@code 5m}, {@code 1h30m}; a bare number is
   * seconds.
   */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Durations.parse(new IntOrString(value));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("invalid duration \"" + value + "\": " + e.getMessage());
      }
    }
  }
}
