package dev.weir.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kubectl weir restart NAME}. */
@Command(
    name = "restart",
    description = {
      "Restart the pods of a rollout, as kubectl rollout restart does: the pod template gets the"
          + " annotation "
          + RestartCommand.ANNOTATION
          + ", so the pods are replaced by a new"
          + " revision, released through the canary steps like any other.",
      "This changes the spec: under GitOps, a sync puts back what git declares."
    },
    mixinStandardHelpOptions = true)
final class RestartCommand implements Callable<Integer> {

  static final String ANNOTATION = "kubectl.kubernetes.io/restartedAt";

  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "NAME", description = "Name of the rollout.")
  String name;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    restart(cluster.rollouts(), name, Instant.now())
        .print(spec.commandLine().getOut(), spec.commandLine().getErr());
    return ExitCode.OK;
  }

  static Outcome restart(Rollouts rollouts, String name, Instant now) {
    var patch = Json.object();
    patch
        .putObject("spec")
        .putObject("template")
        .putObject("metadata")
        .putObject("annotations")
        .put(ANNOTATION, now.truncatedTo(ChronoUnit.SECONDS).toString());
    rollouts.mergePatch(name, patch.toString());
    return Outcome.of(Rollouts.ref(name) + " restarted");
  }
}
