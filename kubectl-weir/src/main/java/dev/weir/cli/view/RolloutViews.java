package dev.weir.cli.view;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AbortedRevision;
import dev.weir.api.v1alpha1.GitWriteBackStatus;
import dev.weir.cli.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the {@link RolloutView} of a rollout from what the API server returned: the rollout, the
 * ReplicaSets it controls and its AnalysisRuns. Pure: no I/O, so every tree is a table test.
 */
public final class RolloutViews {

  private RolloutViews() {}

  public static RolloutView of(JsonNode rollout, List<JsonNode> replicaSets, List<JsonNode> runs) {
    JsonNode spec = rollout.path("spec");
    JsonNode status = rollout.path("status");
    String stable = Json.text(status, "stableRS");
    String current = Json.text(status, "currentPodHash");
    boolean releasing = stable != null && current != null && !stable.equals(current);
    JsonNode stepsNode = Json.at(spec, "strategy", "canary", "steps");
    Integer index = Json.integer(status, "currentStepIndex");
    Long generation =
        rollout.path("metadata").path("generation").isNumber()
            ? rollout.path("metadata").path("generation").asLong()
            : null;
    Long observedGeneration =
        status.path("observedGeneration").isNumber()
            ? status.path("observedGeneration").asLong()
            : null;

    var byHash = new LinkedHashMap<String, List<AnalysisRunView>>();
    var unattached = new ArrayList<AnalysisRunView>();
    runs.stream()
        .map(AnalysisRunView::of)
        .sorted(Comparator.comparing(r -> Objects.toString(r.created(), "")))
        .forEach(
            run -> {
              if (run.revisionHash() == null) {
                unattached.add(run);
              } else {
                byHash.computeIfAbsent(run.revisionHash(), h -> new ArrayList<>()).add(run);
              }
            });

    var aborted = abortedRevisions(status);
    var revisions = new ArrayList<RolloutView.RevisionView>();
    for (JsonNode rs : replicaSets) {
      String hash = Json.text(rs, "metadata", "labels", WellKnownNames.POD_TEMPLATE_HASH_LABEL);
      // A baseline runs stable's template beside the canary: stable's hash, a role of its own.
      boolean baseline = Json.text(rs, "metadata", "labels", WellKnownNames.BASELINE_LABEL) != null;
      var roles = new ArrayList<String>();
      if (baseline) {
        roles.add("baseline");
      } else if (hash != null && hash.equals(stable)) {
        roles.add("stable");
      }
      if (!baseline && hash != null && hash.equals(current) && releasing) {
        roles.add("canary");
      }
      String number = Json.text(rs, "metadata", "annotations", WellKnownNames.REVISION_ANNOTATION);
      revisions.add(
          new RolloutView.RevisionView(
              number == null ? 0 : Long.parseLong(number),
              hash,
              roles,
              aborted.stream().anyMatch(a -> a.hash().equals(hash)),
              replicaSet(rs),
              baseline ? List.of() : byHash.getOrDefault(hash, List.of())));
    }
    // Runs of a revision without a ReplicaSet (pruned) are still worth showing.
    for (var entry : byHash.entrySet()) {
      if (revisions.stream().noneMatch(r -> entry.getKey().equals(r.hash()))) {
        unattached.addAll(entry.getValue());
      }
    }
    revisions.sort(Comparator.comparingLong(RolloutView.RevisionView::number).reversed());

    return new RolloutView(
        Json.text(rollout, "metadata", "name"),
        Json.text(rollout, "metadata", "namespace"),
        phase(status),
        Json.text(status, "message"),
        Json.isTrue(spec, "paused"),
        Json.isTrue(status, "abort"),
        observedGeneration != null && (generation == null || observedGeneration >= generation),
        strategy(spec),
        index,
        stepsNode.size(),
        Json.integer(status, "currentWeight"),
        Json.integer(status, "verifiedWeight"),
        new RolloutView.Replicas(
            Json.integer(spec, 1, "replicas"),
            Json.integer(status, 0, "replicas"),
            Json.integer(status, 0, "updatedReplicas"),
            Json.integer(status, 0, "readyReplicas"),
            Json.integer(status, 0, "availableReplicas")),
        images(spec, revisions),
        releasing ? steps(stepsNode, index == null ? 0 : index) : List.of(),
        revisions,
        unattached,
        aborted,
        Json.text(rollout, "metadata", "creationTimestamp"));
  }

  private static List<RolloutView.AbortedRevisionView> abortedRevisions(JsonNode status) {
    var aborted = new ArrayList<RolloutView.AbortedRevisionView>();
    for (JsonNode node : status.path("abortedRevisions")) {
      var revision = Json.bind(node, AbortedRevision.class);
      if (revision.podTemplateHash != null) {
        aborted.add(
            new RolloutView.AbortedRevisionView(
                revision.podTemplateHash,
                revision.images == null ? List.of() : revision.images,
                revision.abortedAt,
                revision.cause() + writeBack(revision.writeBack)));
      }
    }
    return aborted;
  }

  /** What became of the revert in git (spec.gitWriteBack), after the cause; empty without one. */
  private static String writeBack(GitWriteBackStatus writeBack) {
    if (writeBack == null || writeBack.phase == null) {
      return "";
    }
    return switch (writeBack.phase) {
      case Pending -> "; reverting in git";
      case Committed ->
          "; reverted in git by "
              + (writeBack.commit == null
                  ? "a commit"
                  : writeBack.commit.substring(0, Math.min(12, writeBack.commit.length())))
              + (writeBack.branch == null ? "" : " on " + writeBack.branch);
      case Unchanged -> "; no revert needed in git";
      case Failed -> "; revert in git failed: " + writeBack.message;
    };
  }

  /** Canary or BlueGreen, as spec.strategy declares. */
  static String strategy(JsonNode spec) {
    JsonNode strategy = spec.path("strategy");
    if (strategy.has("canary")) {
      return "Canary";
    }
    return strategy.has("blueGreen") ? "BlueGreen" : "Unknown";
  }

  public static String phase(JsonNode status) {
    String phase = Json.text(status, "phase");
    return phase == null || phase.isEmpty() ? "Unknown" : phase;
  }

  private static RolloutView.ReplicaSetView replicaSet(JsonNode rs) {
    var images = new ArrayList<String>();
    for (JsonNode c : Json.at(rs, "spec", "template", "spec", "containers")) {
      images.add(c.path("image").asText());
    }
    return new RolloutView.ReplicaSetView(
        Json.text(rs, "metadata", "name"),
        Json.integer(rs, 0, "spec", "replicas"),
        Json.integer(rs, 0, "status", "replicas"),
        Json.integer(rs, 0, "status", "readyReplicas"),
        Json.integer(rs, 0, "status", "availableReplicas"),
        Json.text(rs, "metadata", "creationTimestamp"),
        Json.text(rs, "metadata", "annotations", WellKnownNames.SCALE_DOWN_AT_ANNOTATION),
        images);
  }

  /** The images of the stable and canary revisions, else those the template declares. */
  private static List<RolloutView.Image> images(
      JsonNode spec, List<RolloutView.RevisionView> revisions) {
    Map<String, List<String>> roles = new LinkedHashMap<>();
    for (var revision : revisions) {
      if (revision.roles().isEmpty()) {
        continue;
      }
      for (String image : revision.replicaSet().images()) {
        var list = roles.computeIfAbsent(image, i -> new ArrayList<>());
        revision.roles().stream().filter(r -> !list.contains(r)).forEach(list::add);
      }
    }
    if (roles.isEmpty()) {
      for (JsonNode c : Json.at(spec, "template", "spec", "containers")) {
        roles.put(c.path("image").asText(), List.of());
      }
    }
    var images = new ArrayList<RolloutView.Image>();
    roles.forEach((image, r) -> images.add(new RolloutView.Image(image, r)));
    // Stable first: what runs now, then what is coming.
    images.sort(Comparator.comparing(i -> !i.roles().contains("stable")));
    return images;
  }

  private static List<RolloutView.Step> steps(JsonNode steps, int index) {
    var result = new ArrayList<RolloutView.Step>();
    for (int i = 0; i < steps.size(); i++) {
      String state = i < index ? "done" : i == index ? "current" : "pending";
      result.add(new RolloutView.Step(i + 1, describe(steps.get(i)), state));
    }
    return result;
  }

  /**
   * A step as written, compactly: {@code setWeight: 10}, {@code pause: {}}, {@code pause: 2m},
   * {@code analysis: istio-success-rate, istio-p99-latency}.
   */
  static String describe(JsonNode step) {
    var parts = new ArrayList<String>();
    step.fields()
        .forEachRemaining(
            field -> {
              JsonNode value = field.getValue();
              String text;
              if (field.getKey().equals("pause") && value.has("duration")) {
                text = value.path("duration").asText();
              } else if (field.getKey().equals("analysis")) {
                // The templates and metrics say what is judged; the args are in the manifest.
                var names = new ArrayList<String>();
                value.path("templates").forEach(t -> names.add(t.path("templateName").asText()));
                value.path("metrics").forEach(m -> names.add("metric " + m.path("name").asText()));
                text = String.join(", ", names);
              } else if (value.isValueNode()) {
                text = value.asText();
              } else {
                text = compact(value);
              }
              parts.add(field.getKey() + ": " + text);
            });
    return String.join(", ", parts);
  }

  /** JSON without quotes around names and plain strings: {@code {weight: 20}}. */
  private static String compact(JsonNode value) {
    if (value.isObject()) {
      var parts = new ArrayList<String>();
      value.fields().forEachRemaining(f -> parts.add(f.getKey() + ": " + compact(f.getValue())));
      return "{" + String.join(", ", parts) + "}";
    }
    if (value.isArray()) {
      var parts = new ArrayList<String>();
      value.forEach(v -> parts.add(compact(v)));
      return "[" + String.join(", ", parts) + "]";
    }
    return value.asText();
  }
}
