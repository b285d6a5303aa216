package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One header a request must carry to be sent to the canary by a header route. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HeaderRouteMatch {

  @JsonPropertyDescription("Name of the request header, for example x-canary.")
  @Required
  public String headerName;

  @JsonPropertyDescription("How the header's value is matched: exact, prefix or regex.")
  @Required
  public StringMatch headerValue;
}
