package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Writes a rollout's conditions from its phase: the kstatus trio (Ready, Reconciling, Stalled) that
 * Flux, {@code kubectl wait} and Argo CD read without custom code, and Weir's own (Progressing,
 * Paused, Aborted, InvalidSpec, Completed). A condition keeps its lastTransitionTime while its
 * status stays the same, so an unchanged rollout yields an unchanged status.
 */
public final class StatusConditions {

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String PROGRESSING = "Progressing";
  public static final String PAUSED = "Paused";
  public static final String ABORTED = "Aborted";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String COMPLETED = "Completed";

  private StatusConditions() {}

  /** The outcome of a planning pass, as the conditions tell it. */
  public record Outcome(
      RolloutPhase phase, String reason, String message, boolean aborted, boolean invalid) {}

  public static void describe(RolloutStatus status, Outcome o, long generation, Instant now) {
    status.phase = o.phase();
    status.message = o.message() == null || o.message().isEmpty() ? null : o.message();
    var c = status.conditions;
    boolean healthy = o.phase() == RolloutPhase.Healthy;
    boolean degraded = o.phase() == RolloutPhase.Degraded;
    boolean inProgress = !healthy && !degraded;
    set(c, READY, healthy, healthy ? "Healthy" : o.reason(), o.message(), generation, now);
    set(
        c,
        RECONCILING,
        inProgress,
        inProgress ? o.reason() : "Idle",
        inProgress ? o.message() : "",
        generation,
        now);
    set(
        c,
        STALLED,
        degraded,
        degraded ? o.reason() : "NotStalled",
        degraded ? o.message() : "",
        generation,
        now);
    set(c, PROGRESSING, !degraded, o.reason(), o.message(), generation, now);
    boolean paused = o.phase() == RolloutPhase.Paused;
    set(
        c,
        PAUSED,
        paused,
        paused ? o.reason() : "NotPaused",
        paused ? o.message() : "",
        generation,
        now);
    set(
        c,
        ABORTED,
        o.aborted(),
        o.aborted() ? "Aborted" : "NotAborted",
        o.aborted() ? o.message() : "",
        generation,
        now);
    set(
        c,
        INVALID_SPEC,
        o.invalid(),
        o.invalid() ? "InvalidSpec" : "Valid",
        o.invalid() ? o.message() : "",
        generation,
        now);
    boolean completed =
        healthy && status.currentPodHash != null && status.currentPodHash.equals(status.stableRS);
    set(
        c,
        COMPLETED,
        completed,
        completed ? "RolloutCompleted" : "ReleaseInProgress",
        "",
        generation,
        now);
  }

  /** Sets one condition, keeping its lastTransitionTime unless its status flips. */
  public static void set(
      List<Condition> conditions,
      String type,
      boolean value,
      String reason,
      String message,
      long generation,
      Instant now) {
    String status = value ? "True" : "False";
    Condition existing =
        conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    if (existing == null) {
      existing = new Condition();
      existing.setType(type);
      conditions.add(existing);
    }
    if (!status.equals(existing.getStatus())) {
      existing.setStatus(status);
      existing.setLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
    }
    existing.setReason(reason == null || reason.isEmpty() ? type : reason);
    // An empty message is left out rather than written as "": some API servers (the 1.20 build
    // the tests run against) decode "" as null and reject it for a string field.
    existing.setMessage(message == null || message.isEmpty() ? null : message);
    existing.setObservedGeneration(generation);
  }

  public static boolean isTrue(RolloutStatus status, String type) {
    return status.conditions.stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
