package dev.weir.rollout;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.observability.EventRecorder;
import dev.weir.rollout.plan.EventReason;
import dev.weir.rollout.plan.ReleasePlanner;
import dev.weir.rollout.plan.StatusConditions;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * An API error of a reconcile (a missing permission above all), shown where users look: the Ready
 * condition and the message name it, and a Warning Event records it, once per distinct message. The
 * reconcile is retried with backoff by the framework.
 */
final class ApiErrorReport {

  private static final Logger LOG = Logger.getLogger(ApiErrorReport.class);

  private ApiErrorReport() {}

  static ErrorStatusUpdateControl<Rollout> report(
      Rollout rollout, Context<Rollout> context, Exception e, Instant now) {
    KubernetesClientException apiError = apiError(e);
    if (apiError == null) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    EventReason reason = apiError.getCode() == 403 ? EventReason.Forbidden : EventReason.ApiError;
    String message =
        apiError.getStatus() != null && apiError.getStatus().getMessage() != null
            ? apiError.getStatus().getMessage()
            : apiError.getMessage();
    // The reconcile may have written its status before it failed (ahead of a traffic write): the
    // report goes onto what was written, never onto the older status the reconcile started from.
    Rollout current = fresh(rollout, context);
    RolloutStatus status = ReleasePlanner.copy(current.getStatus());
    boolean told = message.equals(status.message);
    // A retried reconcile may have written its planned status in between (ahead of the traffic
    // write that fails again), keeping the message but not the condition: both are shown again.
    if (told && readyShows(status, reason)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    Long generation = rollout.getMetadata().getGeneration();
    status.message = message;
    StatusConditions.set(
        status.conditions,
        StatusConditions.READY,
        false,
        reason.name(),
        message,
        generation == null ? 0 : generation,
        now);
    if (!told) {
      new EventRecorder(context.getClient()).record(rollout, true, reason.name(), message, now);
    }
    try {
      Rollout copy = Serialization.clone(current);
      copy.setStatus(status);
      context.getClient().resource(copy).updateStatus();
    } catch (KubernetesClientException writeError) {
      LOG.warnf(
          "cannot report %s on %s/%s: %s",
          reason,
          rollout.getMetadata().getNamespace(),
          rollout.getMetadata().getName(),
          writeError.getMessage());
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  private static boolean readyShows(RolloutStatus status, EventReason reason) {
    return status.conditions.stream()
        .anyMatch(
            c ->
                StatusConditions.READY.equals(c.getType())
                    && "False".equals(c.getStatus())
                    && reason.name().equals(c.getReason()));
  }

  /** The rollout as the API server has it now, or as given when it cannot be read either. */
  private static Rollout fresh(Rollout rollout, Context<Rollout> context) {
    try {
      Rollout read = context.getClient().resource(rollout).get();
      return read == null ? rollout : read;
    } catch (KubernetesClientException e) {
      return rollout;
    }
  }

  private static KubernetesClientException apiError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() >= 400) {
        return k;
      }
    }
    return null;
  }
}
