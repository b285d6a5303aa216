package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** The triggers, the rollouts and the destinations of a {@link NotificationPolicy}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationPolicySpec {

  @JsonPropertyDescription(
      "The rollouts of the policy's namespace it tells about, by their labels (matchLabels,"
          + " matchExpressions); none: every rollout of the namespace.")
  public LabelSelector selector;

  @JsonPropertyDescription(
      "The events that are told: ReleaseStarted, StepReached, AwaitingPromotion,"
          + " AnalysisInconclusive, Aborted, Promoted, RolledBack, ProgressDeadlineExceeded.")
  @Required
  public List<NotificationTrigger> triggers;

  @JsonPropertyDescription(
      "Where each notice goes: every destination of the policy receives every notice it sends.")
  @Required
  public List<NotificationDestination> destinations;

  @JsonPropertyDescription(
      "A link to the release's measurements (a Grafana dashboard), a template with the"
          + " placeholders of the body, each value URL-encoded, e.g."
          + " https://grafana.example/d/weir-analysis?var-namespace={{rollout.namespace}}"
          + "&var-rollout={{rollout.name}}. Chat messages, incidents and commit statuses link to"
          + " it.")
  public String dashboardUrl;
}
