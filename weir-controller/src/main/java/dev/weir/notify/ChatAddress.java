package dev.weir.notify;

import dev.weir.api.v1alpha1.ChatWebhookDestination;
import java.net.URI;
import java.util.Optional;

/** Where a chat's incoming webhook is: its URL as written, or from a Secret (it holds a key). */
final class ChatAddress {

  private ChatAddress() {}

  static Optional<URI> of(String field, ChatWebhookDestination chat, Credentials creds) {
    if (chat.urlFrom != null) {
      return creds
          .read(field + ".urlFrom.secretKeyRef", "the webhook URL", chat.urlFrom.secretKeyRef)
          .flatMap(hook -> creds.address(field + ".urlFrom", hook));
    }
    return creds.address(field + ".url", chat.url);
  }
}
