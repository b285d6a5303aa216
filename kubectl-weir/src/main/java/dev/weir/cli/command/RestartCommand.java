package dev.weir.cli.command;

import dev.weir.cli.Json;
import dev.weir.cli.cluster.Rollouts;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;

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
final class RestartCommand extends RolloutActionCommand {

  static final String ANNOTATION = "kubectl.kubernetes.io/restartedAt";

  @Override
  Outcome act(Rollouts rollouts, String name) {
    return restart(rollouts, name, Instant.now());
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
