package dev.weir.cli.command;

import dev.weir.cli.CliException;
import dev.weir.cli.cluster.Rollouts;
import picocli.CommandLine.Command;

/** {@code kubectl weir abort NAME}. */
@Command(
    name = "abort",
    description = {
      "Abort the release in progress: all traffic goes back to the stable revision (and is read"
          + " back) before the canary scales down. The rollout stays Degraded until it is retried"
          + " (kubectl weir retry) or another revision is declared.",
      "Sends the status patch {\"status\":{\"abort\":true}}."
    },
    mixinStandardHelpOptions = true)
final class AbortCommand extends RolloutActionCommand {

  @Override
  Outcome act(Rollouts rollouts, String name) {
    return abort(rollouts, name);
  }

  static Outcome abort(Rollouts rollouts, String name) {
    var state = RolloutState.of(rollouts.get(name));
    if (!state.releasing()) {
      throw state.noRelease("abort");
    }
    if (state.aborted()) {
      throw CliException.error(Rollouts.quoted(name) + " is already aborted");
    }
    rollouts.patchStatus(name, "{\"status\":{\"abort\":true}}");
    return Outcome.of(Rollouts.ref(name) + " aborted");
  }
}
