package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Canary replica count set apart from its weight: exactly one field is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SetCanaryScale {

  @JsonPropertyDescription("Canary replicas as a percentage (0-100) of spec.replicas, rounded up.")
  @Min(0)
  @Max(100)
  public Integer weight;

  @JsonPropertyDescription("Canary replicas as an absolute number.")
  @Min(0)
  public Integer replicas;

  @JsonPropertyDescription(
      "When true, the canary's replicas follow its traffic weight again (the default"
          + " behaviour).")
  public Boolean matchTrafficWeight;
}
