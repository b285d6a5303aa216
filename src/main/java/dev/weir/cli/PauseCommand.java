package dev.weir.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kubectl weir pause NAME}. */
@Command(
    name = "pause",
    description = {
      "Pause a rollout where it is: no step advances and nothing is promoted; traffic and replicas"
          + " stay as they are until kubectl weir resume.",
      "Sets spec.paused to true (a merge patch). spec.paused is part of the spec: under GitOps,"
          + " a sync puts back what git declares."
    },
    mixinStandardHelpOptions = true)
final class PauseCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "NAME", description = "Name of the rollout.")
  String name;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    pause(cluster.rollouts(), name).print(spec.commandLine().getOut(), spec.commandLine().getErr());
    return ExitCode.OK;
  }

  static Outcome pause(Rollouts rollouts, String name) {
    if (RolloutState.of(rollouts.get(name)).paused()) {
      throw CliException.error(Rollouts.quoted(name) + " is already paused");
    }
    rollouts.mergePatch(name, "{\"spec\":{\"paused\":true}}");
    return Outcome.of(Rollouts.ref(name) + " paused");
  }
}
