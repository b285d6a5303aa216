package dev.weir.notify;

import dev.weir.api.v1alpha1.WebhookDestination;
import dev.weir.api.validation.NoticeTemplate;

/**
 * A generic webhook's request for one notice: the body rendered from its template (or Weir's own
 * document), the headers, the signature. Values from Secrets go through {@link Credentials}: only
 * from Secrets that opted in, only to an allowed URL. Pure but for the Secrets it is given.
 */
final class WebhookRequest {

  /** The header that carries the notice's id, so that a receiver can drop a repeated delivery. */
  static final String DELIVERY_HEADER = "X-Weir-Delivery";

  private WebhookRequest() {}

  /**
   * @param field the destination's field in its policy, e.g. {@code spec.destinations[0].webhook}
   */
  static NoticeRequest build(
      String field, WebhookDestination webhook, Notice notice, Credentials credentials) {
    var values = notice.values();
    var headers = Outgoing.jsonHeaders(notice);
    if (webhook.headers != null) {
      for (int i = 0; i < webhook.headers.size(); i++) {
        var h = webhook.headers.get(i);
        if (h.valueFrom != null) {
          String at = field + ".headers[" + i + "].valueFrom.secretKeyRef";
          credentials
              .read(at, "header '" + h.name + "'", h.valueFrom.secretKeyRef)
              .map(String::strip)
              .ifPresent(
                  v -> {
                    if (v.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                      credentials.problem(
                          at,
                          "the value is no valid header value: it holds a line break or another control character");
                    } else {
                      headers.put(h.name, v);
                    }
                  });
        } else {
          headers.put(
              h.name, NoticeTemplate.render(h.value, values, v -> v.replaceAll("[\r\n]", " ")));
        }
      }
    }
    String body =
        webhook.body == null
            ? notice.document()
            : NoticeTemplate.render(webhook.body, values, NoticeTemplate::jsonString);
    if (webhook.signature != null) {
      credentials
          .read(field + ".signature.secretKeyRef", "the signature", webhook.signature.secretKeyRef)
          .ifPresent(
              key -> headers.put(webhook.signature.headerName(), BodySignature.of(body, key)));
    }
    var url = credentials.address(field + ".url", webhook.url);
    return credentials.request(() -> new Outgoing(url.orElseThrow(), headers, body));
  }
}
