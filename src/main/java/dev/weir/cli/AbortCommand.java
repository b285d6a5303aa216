package dev.weir.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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
final class AbortCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "NAME", description = "Name of the rollout.")
  String name;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    abort(cluster.rollouts(), name).print(spec.commandLine().getOut(), spec.commandLine().getErr());
    return ExitCode.OK;
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
