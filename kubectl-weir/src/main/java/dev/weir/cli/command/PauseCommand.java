package dev.weir.cli.command;

import dev.weir.cli.CliException;
import dev.weir.cli.cluster.Rollouts;
import picocli.CommandLine.Command;

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
final class PauseCommand extends RolloutActionCommand {

  @Override
  Outcome act(Rollouts rollouts, String name) {
    return pause(rollouts, name);
  }

  static Outcome pause(Rollouts rollouts, String name) {
    if (RolloutState.of(rollouts.get(name)).paused()) {
      throw CliException.error(Rollouts.quoted(name) + " is already paused");
    }
    rollouts.mergePatch(name, "{\"spec\":{\"paused\":true}}");
    return Outcome.of(Rollouts.ref(name) + " paused");
  }
}
