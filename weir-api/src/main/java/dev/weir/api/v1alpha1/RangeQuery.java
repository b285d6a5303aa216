package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.IntOrString;

/** The window of a range query, ending at the time of the measurement. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RangeQuery {

  @JsonPropertyDescription("How far back the range starts (seconds, or 5m).")
  @Required
  public IntOrString lookback;

  @JsonPropertyDescription("Resolution of the range (seconds, or 30s).")
  @Required
  public IntOrString step;
}
