package dev.weir.notify;

import dev.weir.analysis.AllowedAddresses;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The values from Secrets one request of one destination carries, and the rule they follow: read
 * only from Secrets of the policy's namespace that opted in, sent only to an address the operator
 * allowed. Every destination kind reads its Secrets through one of these, so that the rule is
 * written once; the problems it collects name the policy's fields.
 */
final class Credentials {

  /** The value of a key of an opted-in Secret of the policy's namespace; empty when none. */
  @FunctionalInterface
  interface SecretValues {
    Optional<String> read(String secret, String key);
  }

  private final String namespace;
  private final SecretValues secrets;
  private final AllowedAddresses allowed;
  private final List<String> carried = new ArrayList<>();
  private final List<SpecProblem> problems = new ArrayList<>();

  Credentials(String namespace, SecretValues secrets, AllowedAddresses allowed) {
    this.namespace = namespace;
    this.secrets = secrets;
    this.allowed = allowed;
  }

  /**
   * A key's value, which the request will carry as {@code what} ("the signature", "the token");
   * empty, with a problem, when the Secret did not opt in or the key is empty.
   */
  Optional<String> read(String field, String what, SecretKeySelector ref) {
    carried.add(what);
    var value = secrets.read(ref.getName(), ref.getKey());
    if (value.isEmpty()) {
      problem(
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
              + ")");
    } else if (value.get().isEmpty()) {
      problem(field, "key " + ref.getKey() + " of Secret " + ref.getName() + " is empty");
      return Optional.empty();
    }
    return value;
  }

  /** A problem of the destination that keeps its request from leaving. */
  void problem(String field, String message) {
    problems.add(new SpecProblem(field, message));
  }

  /**
   * The URL of {@code field} as a request's address, refused when the request carries a value from
   * a Secret and the operator did not allow the address.
   */
  Optional<URI> address(String field, String url) {
    URI uri;
    try {
      uri = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      // Only a URL read from a Secret gets here unchecked; its text is not shown.
      problem(field, "is not a URL");
      return Optional.empty();
    }
    if (uri.getHost() == null
        || !("http".equalsIgnoreCase(uri.getScheme())
            || "https".equalsIgnoreCase(uri.getScheme()))) {
      problem(field, "is not an http(s) URL with a host");
      return Optional.empty();
    }
    if (!carried.isEmpty() && !allowed.allows(uri)) {
      problem(
          field,
          Outgoing.shown(uri)
              + " is not an allowed notification address"
              + " (weir.notifications.allowed-addresses: "
              + allowed
              + "), and the destination would send it values from Secrets: "
              + String.join(", ", carried));
    }
    return Optional.of(uri);
  }

  /** The request, unless a problem keeps it from leaving. */
  NoticeRequest request(Supplier<Outgoing> request) {
    return problems.isEmpty()
        ? new NoticeRequest(Optional.of(request.get()), List.of())
        : NoticeRequest.refused(problems);
  }
}
