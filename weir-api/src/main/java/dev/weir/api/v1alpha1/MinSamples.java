package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** The least amount of traffic a measurement needs to mean something. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MinSamples {

  @JsonPropertyDescription(
      "Query of the same provider that counts the samples behind the metric, e.g. the canary's"
          + " requests in the window; {{args.NAME}} is substituted. A query that finds no series"
          + " at all is no data (noDataPolicy).")
  @Required
  public String query;

  @JsonPropertyDescription("Below this count the measurement is Inconclusive.")
  @Required
  @Min(0)
  public Double threshold;
}
