package dev.weir.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.NotificationTrigger;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event of a release as notifications tell it: what happened, to which rollout, at which
 * revision and step, with what a human does next. Kept in the ledger until every destination has
 * it, so it holds only what the rollout's readers may see: nothing from a Secret.
 *
 * @param id the event's identity: rollout uid, revision, trigger and step; the same event planned
 *     twice (a reconcile repeated after a failed status write) has the same id
 * @param step the step the release is at, counted from 1 as Weir's messages count it (0: before the
 *     first)
 */
public record Notice(
    String id,
    NotificationTrigger trigger,
    String reason,
    String message,
    String time,
    String namespace,
    String rollout,
    String uid,
    String revision,
    String stable,
    int step,
    int steps,
    Integer weight,
    String phase,
    String commit) {

  /** The annotation a pipeline may set on the rollout to name the commit that declared it. */
  public static final String COMMIT_ANNOTATION = WellKnownNames.GROUP + "/commit";

  /**
   * The notice of an event of the release, told as {@code trigger}, after which the rollout's
   * status is {@code status}.
   */
  public static Notice of(
      Rollout rollout,
      NotificationTrigger trigger,
      String reason,
      String message,
      RolloutStatus status,
      Instant at) {
    var meta = rollout.getMetadata();
    String revision = status.currentPodHash == null ? "" : status.currentPodHash;
    int steps = stepsOf(rollout);
    int step = status.currentStepIndex == null ? 0 : status.currentStepIndex;
    // The step a human sees: the one just done for a weight, the one the release stands at
    // otherwise (a pause, an analysis), none before the first.
    int shown =
        switch (trigger) {
          case StepReached -> step;
          case ReleaseStarted -> 0;
          default -> Math.min(step + 1, steps);
        };
    String id = meta.getUid() + "." + revision + "." + trigger + "." + shown;
    var annotations = meta.getAnnotations();
    return new Notice(
        id,
        trigger,
        reason,
        message,
        at.truncatedTo(ChronoUnit.SECONDS).toString(),
        meta.getNamespace(),
        meta.getName(),
        meta.getUid(),
        revision,
        status.stableRS,
        shown,
        steps,
        status.currentWeight,
        status.phase == null ? null : status.phase.name(),
        annotations == null ? null : annotations.get(COMMIT_ANNOTATION));
  }

  private static int stepsOf(Rollout rollout) {
    var strategy = rollout.getSpec() == null ? null : rollout.getSpec().strategy;
    if (strategy == null || strategy.canary == null || strategy.canary.steps == null) {
      return 0;
    }
    return strategy.canary.steps.size();
  }

  /** The values of the placeholders of {@link dev.weir.api.validation.NoticeTemplate}. */
  public Map<String, String> values() {
    var values = new LinkedHashMap<String, String>();
    values.put("rollout.name", rollout);
    values.put("rollout.namespace", namespace);
    values.put("rollout.uid", text(uid));
    values.put("event.id", id);
    values.put("event.trigger", trigger.name());
    values.put("event.reason", reason);
    values.put("event.message", text(message));
    values.put("event.time", time);
    values.put("revision", revision);
    values.put("stable", text(stable));
    values.put("step", String.valueOf(step));
    values.put("steps", String.valueOf(steps));
    values.put("weight", weight == null ? "0" : String.valueOf(weight));
    values.put("phase", text(phase));
    values.put("commit", text(commit));
    values.put("commands.promote", command("promote"));
    values.put("commands.abort", command("abort"));
    values.put("commands.status", "kubectl weir get rollout " + rollout + " -n " + namespace);
    return values;
  }

  private String command(String verb) {
    return "kubectl weir " + verb + " " + rollout + " -n " + namespace;
  }

  /** Weir's own document of the event: the body of a webhook that declares none. */
  public String document() {
    ObjectNode doc = Serialization.jsonMapper().createObjectNode();
    doc.put("id", id);
    doc.put("trigger", trigger.name());
    doc.put("reason", reason);
    doc.put("message", message);
    doc.put("time", time);
    var r = doc.putObject("rollout");
    r.put("namespace", namespace);
    r.put("name", rollout);
    r.put("uid", uid);
    doc.put("revision", revision);
    doc.put("stable", stable);
    doc.put("step", step);
    doc.put("steps", steps);
    doc.put("weight", weight == null ? 0 : weight);
    doc.put("phase", phase);
    if (commit != null) {
      doc.put("commit", commit);
    }
    var commands = doc.putObject("commands");
    commands.put("promote", command("promote"));
    commands.put("abort", command("abort"));
    commands.put("status", values().get("commands.status"));
    return doc.toString();
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
