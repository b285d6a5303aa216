package dev.weir.cli.command;

import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.cli.CliException;
import dev.weir.cli.ExitCode;
import dev.weir.cli.cluster.Rollouts;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kubectl weir promote NAME [--full]}. */
@Command(
    name = "promote",
    description = {
      "Promote a rollout: end the current step (a pause waiting for promote, or any other step),"
          + " or with --full skip all the remaining steps and make the new revision stable now.",
      "Sends the status patch {\"status\":{\"promote\":\"Step\"}} (or \"Full\"); Weir carries"
          + " it out, traffic first, and clears it."
    },
    mixinStandardHelpOptions = true)
final class PromoteCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "NAME", description = "Name of the rollout.")
  String name;

  @Option(names = "--full", description = "Skip all the remaining steps.")
  boolean full;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    promote(cluster.rollouts(), name, full)
        .print(spec.commandLine().getOut(), spec.commandLine().getErr());
    return ExitCode.OK;
  }

  static Outcome promote(Rollouts rollouts, String name, boolean full) {
    var state = RolloutState.of(rollouts.get(name));
    if (!state.releasing()) {
      throw state.noRelease("promote");
    }
    if (state.aborted()) {
      throw CliException.error(
          Rollouts.quoted(name)
              + " is aborted: retry it first (kubectl weir retry "
              + name
              + "), or declare another revision");
    }
    var request = full ? PromoteRequest.Full : PromoteRequest.Step;
    rollouts.patchStatus(name, "{\"status\":{\"promote\":\"" + request + "\"}}");
    List<String> warnings =
        state.paused()
            ? List.of(
                "spec.paused is true: the rollout stays where it is until `kubectl weir resume "
                    + name
                    + "`")
            : List.of();
    return new Outcome(Rollouts.ref(name) + (full ? " fully promoted" : " promoted"), warnings);
  }
}
