package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/**
 * PagerDuty Events API v2: an incident triggered when a release is aborted (or outlasts its
 * progress deadline), resolved by the rollout's next promotion, one dedup_key per rollout.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PagerDutyDestination {

  public static final String DEFAULT_URL = "https://events.pagerduty.com/v2/enqueue";

  @JsonPropertyDescription(
      "The integration's routing key, from an opted-in Secret; url must be an allowed address.")
  @Required
  public SecretValueSource routingKeyFrom;

  @JsonPropertyDescription(
      "The Events API v2 enqueue URL. Defaults to https://events.pagerduty.com/v2/enqueue.")
  @Default(DEFAULT_URL)
  public String url;

  @JsonPropertyDescription(
      "The severity of triggered incidents: critical, error, warning or info. Defaults to"
          + " critical.")
  @Default("critical")
  public String severity;

  /** The URL, defaulted. */
  public String enqueueUrl() {
    return url == null || url.isBlank() ? DEFAULT_URL : url.strip();
  }

  /** The severity, defaulted. */
  public String severityOrDefault() {
    return severity == null || severity.isBlank() ? "critical" : severity;
  }
}
