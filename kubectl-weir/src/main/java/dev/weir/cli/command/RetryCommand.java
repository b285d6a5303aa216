package dev.weir.cli.command;

import dev.weir.cli.CliException;
import dev.weir.cli.cluster.Rollouts;
import picocli.CommandLine.Command;

/** {@code kubectl weir retry NAME}. */
@Command(
    name = "retry",
    description = {
      "Retry an aborted release: it starts again at the first step. A revision that was aborted"
          + " before and is declared again (a sync of its commit, an undo) is held on stable"
          + " until retried: retry releases it, and Weir forgets that it was aborted.",
      "Sends the status patch {\"status\":{\"abort\":false}}."
    },
    mixinStandardHelpOptions = true)
final class RetryCommand extends RolloutActionCommand {

  @Override
  Outcome act(Rollouts rollouts, String name) {
    return retry(rollouts, name);
  }

  static Outcome retry(Rollouts rollouts, String name) {
    var state = RolloutState.of(rollouts.get(name));
    if (!state.aborted()) {
      throw CliException.error(Rollouts.quoted(name) + " is not aborted");
    }
    rollouts.patchStatus(name, "{\"status\":{\"abort\":false}}");
    return Outcome.of(Rollouts.ref(name) + " retried");
  }
}
