package dev.weir.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kubectl weir get rollout NAME}: the verb; the noun is {@link GetRolloutCommand}. */
@Command(
    name = "get",
    description = "Show a rollout as a tree: revisions, ReplicaSets, step, weights, analysis.",
    subcommands = {GetRolloutCommand.class},
    mixinStandardHelpOptions = true)
final class GetCommand implements Runnable {

  @Mixin ClusterOptions cluster;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "you must specify the type of resource to get: rollout");
  }
}
