package dev.weir.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kubectl weir retry NAME}. */
@Command(
    name = "retry",
    description = {
      "Retry an aborted release: it starts again at the first step.",
      "Sends the status patch {\"status\":{\"abort\":false}}."
    },
    mixinStandardHelpOptions = true)
final class RetryCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "NAME", description = "Name of the rollout.")
  String name;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    retry(cluster.rollouts(), name).print(spec.commandLine().getOut(), spec.commandLine().getErr());
    return ExitCode.OK;
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
