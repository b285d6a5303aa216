package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/**
 * Requests a mirror route copies: all the fields given must match (an empty one matches every
 * request).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MirrorRouteMatch {

  @JsonPropertyDescription("The request's method, for example exact: GET.")
  public StringMatch method;

  @JsonPropertyDescription("The request's path, for example prefix: /api.")
  public StringMatch path;

  @JsonPropertyDescription("Request headers by name, each with how its value is matched.")
  public Map<String, StringMatch> headers;
}
