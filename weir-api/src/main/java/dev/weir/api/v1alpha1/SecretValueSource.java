package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** A value kept in a Secret of the policy's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretValueSource {

  @JsonPropertyDescription(
      "A key of a Secret in the policy's namespace that opted in (label"
          + " weir.dev/analysis-secret=true; any other is never read and nothing is sent). Read at"
          + " each delivery, never written to status, Events, logs or metrics, and sent only to"
          + " addresses the operator allowed (weir.notifications.allowed-addresses).")
  @Required
  public SecretKeySelector secretKeyRef;

  public SecretValueSource() {}

  public SecretValueSource(SecretKeySelector secretKeyRef) {
    this.secretKeyRef = secretKeyRef;
  }
}
