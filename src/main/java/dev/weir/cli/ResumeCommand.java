package dev.weir.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kubectl weir resume NAME}. */
@Command(
    name = "resume",
    description = {
      "Resume a rollout paused with kubectl weir pause (spec.paused). A pause step that waits for"
          + " promote is ended with kubectl weir promote instead.",
      "Sets spec.paused to false (a merge patch)."
    },
    mixinStandardHelpOptions = true)
final class ResumeCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "NAME", description = "Name of the rollout.")
  String name;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    resume(cluster.rollouts(), name)
        .print(spec.commandLine().getOut(), spec.commandLine().getErr());
    return ExitCode.OK;
  }

  static Outcome resume(Rollouts rollouts, String name) {
    if (!RolloutState.of(rollouts.get(name)).paused()) {
      throw CliException.error(Rollouts.quoted(name) + " is not paused");
    }
    rollouts.mergePatch(name, "{\"spec\":{\"paused\":false}}");
    return Outcome.of(Rollouts.ref(name) + " resumed");
  }
}
