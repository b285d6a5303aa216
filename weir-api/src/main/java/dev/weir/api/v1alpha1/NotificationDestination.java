package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One place notices go: exactly one kind of destination is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationDestination {

  @JsonPropertyDescription(
      "Name of the destination, unique in the policy (lowercase letters, digits and '-'): the"
          + " destination label of weir_notifications_total and the name Events give it.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  public String name;

  @JsonPropertyDescription(
      "A generic webhook: an HTTP POST of a JSON body, optionally signed with HMAC-SHA256.")
  public WebhookDestination webhook;
}
