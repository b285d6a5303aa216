package dev.weir.observability;

import dev.weir.api.WellKnownNames;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Records what happened to an object as Kubernetes Events (what {@code kubectl describe} and {@code
 * kubectl get events} show). An Event that cannot be written is logged, never fatal: the release
 * must not stall because the audit trail is unavailable.
 */
public final class EventRecorder {

  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime());

  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Records an Event on {@code involved}.
   *
   * @param warning a Warning Event, else Normal
   */
  public void record(
      HasMetadata involved, boolean warning, String reason, String message, Instant now) {
    var meta = involved.getMetadata();
    LOG.infof("%s/%s %s: %s", meta.getNamespace(), meta.getName(), reason, message);
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    var k8sEvent =
        new EventBuilder()
            .withNewMetadata()
            .withName(meta.getName() + "." + Long.toHexString(SEQUENCE.incrementAndGet()))
            .withNamespace(meta.getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(involved.getApiVersion())
                    .withKind(involved.getKind())
                    .withName(meta.getName())
                    .withNamespace(meta.getNamespace())
                    .withUid(meta.getUid())
                    .build())
            .withType(warning ? "Warning" : "Normal")
            .withReason(reason)
            .withMessage(message)
            .withFirstTimestamp(time)
            .withLastTimestamp(time)
            .withCount(1)
            .withReportingComponent(WellKnownNames.EVENT_SOURCE)
            .withNewSource()
            .withComponent(WellKnownNames.EVENT_SOURCE)
            .endSource()
            .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(k8sEvent).create();
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "event %s for %s/%s not recorded: %s",
          reason, meta.getNamespace(), meta.getName(), e.getMessage());
    }
  }
}
