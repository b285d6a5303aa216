package dev.weir.cli.command;

import dev.weir.cli.ExitCode;
import dev.weir.cli.cluster.Rollouts;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A command that acts on one rollout named on the command line and prints what it did: the flags
 * and the argument they share (picocli reads the annotated fields of a superclass), each command
 * its own action.
 */
abstract class RolloutActionCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "NAME", description = "Name of the rollout.")
  String name;

  @Spec CommandSpec spec;

  /** The action on the rollout {@code name}, in the namespace the flags say. */
  abstract Outcome act(Rollouts rollouts, String name);

  @Override
  public Integer call() {
    act(cluster.rollouts(), name).print(spec.commandLine().getOut(), spec.commandLine().getErr());
    return ExitCode.OK;
  }
}
