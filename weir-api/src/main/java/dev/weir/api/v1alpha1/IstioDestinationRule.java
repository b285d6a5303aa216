package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** The DestinationRule of a subset-level split. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IstioDestinationRule {

  @JsonPropertyDescription("Name of the DestinationRule, in the rollout's namespace.")
  @Required
  public String name;

  @JsonPropertyDescription("Name of the subset that Weir points at the canary revision.")
  @Required
  public String canarySubsetName;

  @JsonPropertyDescription("Name of the subset that Weir points at the stable revision.")
  @Required
  public String stableSubsetName;
}
