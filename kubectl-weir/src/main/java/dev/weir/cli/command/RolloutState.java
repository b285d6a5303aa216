package dev.weir.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.cli.CliException;
import dev.weir.cli.Json;
import dev.weir.cli.cluster.Rollouts;
import dev.weir.cli.view.RolloutViews;
import java.util.Objects;

/** Where a rollout stands, read from its JSON: what the actions check before they patch. */
record RolloutState(
    String name,
    String phase,
    String stableRevision,
    String currentRevision,
    boolean aborted,
    boolean paused) {

  static RolloutState of(JsonNode rollout) {
    JsonNode status = rollout.path("status");
    return new RolloutState(
        Json.text(rollout, "metadata", "name"),
        RolloutViews.phase(status),
        Json.text(status, "stableRS"),
        Json.text(status, "currentPodHash"),
        Json.isTrue(status, "abort"),
        Json.isTrue(rollout, "spec", "paused"));
  }

  /** A new revision is being released: the declared revision is not the stable one. */
  boolean releasing() {
    return stableRevision != null && !Objects.equals(stableRevision, currentRevision);
  }

  /** The error for an action that needs a release in progress. */
  CliException noRelease(String action) {
    return CliException.error(
        Rollouts.quoted(name)
            + " has no release in progress to "
            + action
            + (stableRevision == null ? "" : ": revision " + stableRevision + " is stable"));
  }
}
