package dev.weir.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.weir.api.WellKnownNames;
import dev.weir.cli.CliException;
import dev.weir.cli.ExitCode;
import dev.weir.cli.Json;
import dev.weir.cli.cluster.Rollouts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kubectl weir undo NAME [--to-revision N]}. */
@Command(
    name = "undo",
    description = {
      "Go back to an older revision, as kubectl rollout undo does: its pod template, kept on its"
          + " ReplicaSet, is put back into spec.template. Going back to the stable revision during"
          + " a release is an instant rollback (traffic to stable, no steps); any other revision is"
          + " released through the canary steps.",
      "Under GitOps, git wins: the next sync puts back the template git declares. Revert the"
          + " commit in git instead, or pause the sync first.",
      "Without --to-revision, revisions whose release was aborted are passed over. Going back to"
          + " one with --to-revision holds it on stable, as Weir holds any aborted revision that is"
          + " declared again, until `kubectl weir retry`."
    },
    mixinStandardHelpOptions = true)
final class UndoCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "NAME", description = "Name of the rollout.")
  String name;

  @Option(
      names = "--to-revision",
      paramLabel = "N",
      description = "The revision to go back to. Default: the one before the current.")
  long toRevision;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    undo(cluster.rollouts(), name, toRevision)
        .print(spec.commandLine().getOut(), spec.commandLine().getErr());
    return ExitCode.OK;
  }

  /** A revision kept on a ReplicaSet; aborted when status remembers its release as aborted. */
  record Revision(long number, String hash, JsonNode template, boolean aborted) {}

  static Outcome undo(Rollouts rollouts, String name, long toRevision) {
    JsonNode rollout = rollouts.get(name);
    var aborted = new HashSet<String>();
    Json.at(rollout, "status", "abortedRevisions")
        .forEach(r -> aborted.add(r.path("podTemplateHash").asText()));
    List<Revision> revisions =
        rollouts.replicaSets(rollout).stream()
            .map(rs -> revision(rs, aborted))
            .sorted(Comparator.comparingLong(Revision::number).reversed())
            .toList();
    String current = RevisionTemplate.hash(Json.at(rollout, "spec", "template"));
    Revision target = target(revisions, current, toRevision, name);
    if (current.equals(target.hash())) {
      return Outcome.of(
          Rollouts.ref(name)
              + " skipped rollback (current template already matches revision "
              + target.number()
              + ")");
    }
    var restored = RevisionTemplate.restore(target.template(), target.hash());
    ArrayNode patch = Json.MAPPER.createArrayNode();
    // Fails if the rollout's spec changed since it was read (a sync, another user). Its
    // resourceVersion would also move with every status write of the controller, which goes on
    // while a user undoes; the generation moves with the spec alone.
    patch
        .addObject()
        .put("op", "test")
        .put("path", "/metadata/generation")
        .set("value", Json.at(rollout, "metadata", "generation"));
    patch
        .addObject()
        .put("op", "replace")
        .put("path", "/spec/template")
        .set("value", restored.template());
    rollouts.jsonPatch(name, patch.toString());
    var warnings = new ArrayList<String>();
    if (!restored.exact()) {
      warnings.add(
          "the template of revision "
              + target.number()
              + " could not be restored exactly from its ReplicaSet: Weir releases it as a"
              + " new revision");
    } else if (target.aborted()) {
      warnings.add(
          "revision "
              + target.number()
              + " was aborted before: Weir holds it on stable until `kubectl weir retry "
              + name
              + "`");
    }
    return new Outcome(
        Rollouts.ref(name) + " rolled back to revision " + target.number(), warnings);
  }

  private static Revision revision(JsonNode rs, Set<String> aborted) {
    String hash = Json.text(rs, "metadata", "labels", WellKnownNames.POD_TEMPLATE_HASH_LABEL);
    return new Revision(
        Long.parseLong(
            Json.at(rs, "metadata", "annotations", WellKnownNames.REVISION_ANNOTATION).asText("0")),
        hash,
        Json.at(rs, "spec", "template"),
        aborted.contains(hash));
  }

  /** The requested revision, else the newest older than the current one that was not aborted. */
  static Revision target(List<Revision> revisions, String current, long toRevision, String name) {
    if (toRevision > 0) {
      return revisions.stream()
          .filter(r -> r.number() == toRevision)
          .findFirst()
          .orElseThrow(
              () ->
                  CliException.error(
                      "unable to find specified revision " + toRevision + " in history"));
    }
    long currentNumber =
        revisions.stream()
            .filter(r -> current.equals(r.hash()))
            .mapToLong(Revision::number)
            .findFirst()
            .orElse(Long.MAX_VALUE);
    return revisions.stream()
        .filter(r -> !current.equals(r.hash()) && r.number() < currentNumber && !r.aborted())
        .findFirst()
        .orElseThrow(
            () -> CliException.error("no rollout history found for " + Rollouts.quoted(name)));
  }
}
