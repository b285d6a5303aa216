package dev.weir.cli.command;

import dev.weir.cli.CliException;
import dev.weir.cli.cluster.Rollouts;
import picocli.CommandLine.Command;

/** {@code kubectl weir resume NAME}. */
@Command(
    name = "resume",
    description = {
      "Resume a rollout paused with kubectl weir pause (spec.paused). A pause step that waits for"
          + " promote is ended with kubectl weir promote instead.",
      "Sets spec.paused to false (a merge patch)."
    },
    mixinStandardHelpOptions = true)
final class ResumeCommand extends RolloutActionCommand {

  @Override
  Outcome act(Rollouts rollouts, String name) {
    return resume(rollouts, name);
  }

  static Outcome resume(Rollouts rollouts, String name) {
    if (!RolloutState.of(rollouts.get(name)).paused()) {
      throw CliException.error(Rollouts.quoted(name) + " is not paused");
    }
    rollouts.mergePatch(name, "{\"spec\":{\"paused\":false}}");
    return Outcome.of(Rollouts.ref(name) + " resumed");
  }
}
