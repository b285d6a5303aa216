package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A chat space's incoming webhook (Microsoft Teams, Google Chat): a URL that carries its own key,
 * as written or from a Secret, and the shape of the message.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ChatWebhookDestination {

  @JsonPropertyDescription("The webhook's URL, as written. Exactly one of url and urlFrom.")
  public String url;

  @JsonPropertyDescription(
      "The webhook's URL from an opted-in Secret (its key is in the URL): it must then lie under an"
          + " allowed address (weir.notifications.allowed-addresses).")
  public SecretValueSource urlFrom;

  @JsonPropertyDescription(
      "The message's shape. Microsoft Teams: AdaptiveCard (the default; a Workflows webhook) or"
          + " MessageCard (an Office 365 connector). Google Chat: Text (the default) or CardsV2.")
  public ChatFormat format;
}
