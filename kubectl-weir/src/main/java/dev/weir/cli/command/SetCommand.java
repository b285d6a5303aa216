package dev.weir.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kubectl weir set image ...}: the verb; {@link SetImageCommand} does the work. */
@Command(
    name = "set",
    description = "Change a field of a rollout's pod template.",
    subcommands = {SetImageCommand.class},
    mixinStandardHelpOptions = true)
final class SetCommand implements Runnable {

  @Mixin ClusterOptions cluster;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "you must specify what to set: image");
  }
}
