package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** An HTTP POST of a JSON body to a URL, with headers and an optional signature. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookDestination {

  @JsonPropertyDescription(
      "The http(s) URL the notice is posted to. When a header or the signature takes a value from"
          + " a Secret, the URL must be one the operator allowed"
          + " (weir.notifications.allowed-addresses), else nothing is sent.")
  @Required
  public String url;

  @JsonPropertyDescription(
      "HTTP headers sent with each notice; a value may come from an opted-in Secret.")
  public List<NotificationHeader> headers;

  @JsonPropertyDescription(
      "The JSON body, a template: {{rollout.name}}, {{event.trigger}}, {{event.message}}, ... (see"
          + " docs/notifications.md) are replaced, escaped for a JSON string, and the result must"
          + " be JSON. None: Weir's own document of the event.")
  public String body;

  @JsonPropertyDescription(
      "Signs each body with HMAC-SHA256 under a key from an opted-in Secret: the header carries"
          + " sha256=HEX of the body.")
  public WebhookSignature signature;
}
