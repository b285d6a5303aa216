package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** An HMAC-SHA256 signature of each body, under a key the receiver shares. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookSignature {

  @JsonPropertyDescription(
      "The key: a key of a Secret in the policy's namespace that opted in (label"
          + " weir.dev/analysis-secret=true). The URL must be an allowed address.")
  @Required
  public SecretKeySelector secretKeyRef;

  @JsonPropertyDescription(
      "The header that carries the signature, sha256=HEX (lowercase) of the body's bytes."
          + " Defaults to X-Weir-Signature-256.")
  @Default("X-Weir-Signature-256")
  public String header;

  /** The header, defaulted. */
  public String headerName() {
    return header == null || header.isBlank() ? "X-Weir-Signature-256" : header;
  }
}
