package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/**
 * A Slack message: through an incoming webhook (its URL, which is itself a credential, best kept in
 * a Secret), or through the chat.postMessage API with a bot token and a channel.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SlackDestination {

  public static final String DEFAULT_API_URL = "https://slack.com/api";

  @JsonPropertyDescription(
      "An incoming webhook's URL (https://hooks.slack.com/services/...), as written. Exactly one of"
          + " url, urlFrom and tokenFrom.")
  public String url;

  @JsonPropertyDescription(
      "An incoming webhook's URL, from an opted-in Secret (it is a credential): it must then lie"
          + " under an allowed address (weir.notifications.allowed-addresses).")
  public SecretValueSource urlFrom;

  @JsonPropertyDescription(
      "A bot token (xoxb-...) from an opted-in Secret: the message is posted with chat.postMessage"
          + " to channel, and apiUrl must be an allowed address.")
  public SecretValueSource tokenFrom;

  @JsonPropertyDescription("The channel chat.postMessage posts to (an id such as C0123, or #name).")
  public String channel;

  @JsonPropertyDescription("The Slack Web API's base URL. Defaults to https://slack.com/api.")
  @Default(DEFAULT_API_URL)
  public String apiUrl;

  /** The API's base URL, defaulted. */
  public String api() {
    return apiUrl == null || apiUrl.isBlank() ? DEFAULT_API_URL : apiUrl.strip();
  }
}
