package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** Credentials for Prometheus; their values never appear in status, Events or logs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusAuthentication {

  @JsonPropertyDescription("A bearer token, from a key of a Secret: Authorization: Bearer ...")
  public SecretKeySelector bearerToken;

  @JsonPropertyDescription(
      "HTTP basic auth from a Secret with keys `username` and `password` (type"
          + " kubernetes.io/basic-auth).")
  public LocalObjectReference basicAuthSecret;
}
