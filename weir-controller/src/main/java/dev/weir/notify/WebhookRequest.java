package dev.weir.notify;

import dev.weir.analysis.AllowedAddresses;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.v1alpha1.WebhookDestination;
import dev.weir.api.validation.NoticeTemplate;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * A generic webhook's request for one notice: the body rendered from its template (or Weir's own
 * document), the headers, the signature. Values from Secrets are read only from Secrets that opted
 * in, and only when the URL is one the operator allowed for them; otherwise nothing is built and
 * the problems say why. Pure but for the Secrets it is given.
 */
public final class WebhookRequest {

  /** The value of a key of an opted-in Secret of the policy's namespace; empty when none. */
  @FunctionalInterface
  public interface SecretValues {
    Optional<String> read(String secret, String key);
  }

  /** The header that carries the notice's id, so that a receiver can drop a repeated delivery. */
  public static final String DELIVERY_HEADER = "X-Weir-Delivery";

  private WebhookRequest() {}

  /**
   * @param field the destination's field in its policy, e.g. {@code spec.destinations[0].webhook}
   * @param namespace the policy's namespace, where its Secrets are read
   * @return the request, or why none may leave
   */
  public static Result build(
      String field,
      WebhookDestination webhook,
      Notice notice,
      String namespace,
      SecretValues secrets,
      AllowedAddresses allowed) {
    var problems = new ArrayList<SpecProblem>();
    var fromSecrets = new ArrayList<String>();
    var values = notice.values();
    var headers = new LinkedHashMap<String, String>();
    headers.put("Content-Type", "application/json");
    headers.put(DELIVERY_HEADER, notice.id());
    if (webhook.headers != null) {
      for (int i = 0; i < webhook.headers.size(); i++) {
        var h = webhook.headers.get(i);
        if (h.valueFrom != null) {
          fromSecrets.add("header '" + h.name + "'");
          read(
                  field + ".headers[" + i + "].valueFrom.secretKeyRef",
                  h.valueFrom.secretKeyRef,
                  namespace,
                  secrets,
                  problems)
              .ifPresent(v -> headers.put(h.name, v));
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
      fromSecrets.add("the signature");
      read(
              field + ".signature.secretKeyRef",
              webhook.signature.secretKeyRef,
              namespace,
              secrets,
              problems)
          .ifPresent(
              key -> headers.put(webhook.signature.headerName(), BodySignature.of(body, key)));
    }
    URI url = URI.create(webhook.url.strip());
    if (!fromSecrets.isEmpty() && !allowed.allows(url)) {
      problems.add(
          new SpecProblem(
              field + ".url",
              Outgoing.shown(url)
                  + " is not an allowed notification address"
                  + " (weir.notifications.allowed-addresses: "
                  + allowed
                  + "), and the destination would send it values from Secrets: "
                  + String.join(", ", fromSecrets)));
    }
    return problems.isEmpty()
        ? new Result(Optional.of(new Outgoing(url, headers, body)), List.of())
        : new Result(Optional.empty(), problems);
  }

  /** A request, or the problems that keep it from leaving. */
  public record Result(Optional<Outgoing> request, List<SpecProblem> problems) {}

  private static Optional<String> read(
      String field,
      SecretKeySelector ref,
      String namespace,
      SecretValues secrets,
      List<SpecProblem> problems) {
    var value = secrets.read(ref.getName(), ref.getKey());
    if (value.isEmpty()) {
      problems.add(
          new SpecProblem(
              field,
              "Secret "
                  + namespace
                  + "/"
                  + ref.getName()
                  + " (key "
                  + ref.getKey()
                  + ") does not exist or has not opted in (label it "
                  + WellKnownNames.ANALYSIS_SECRET_LABEL
                  + "="
                  + WellKnownNames.ANALYSIS_SECRET_OPT_IN
                  + ")"));
    } else if (value.get().isEmpty()) {
      problems.add(
          new SpecProblem(
              field, "key " + ref.getKey() + " of Secret " + ref.getName() + " is empty"));
      return Optional.empty();
    }
    return value;
  }
}
