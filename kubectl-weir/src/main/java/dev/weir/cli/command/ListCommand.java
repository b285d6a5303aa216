package dev.weir.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kubectl weir list rollouts}: the verb; the noun is {@link ListRolloutsCommand}. */
@Command(
    name = "list",
    description = "List rollouts with their status, step and weights.",
    subcommands = {ListRolloutsCommand.class},
    mixinStandardHelpOptions = true)
final class ListCommand implements Runnable {

  @Mixin ClusterOptions cluster;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "you must specify the type of resource to list: rollouts");
  }
}
