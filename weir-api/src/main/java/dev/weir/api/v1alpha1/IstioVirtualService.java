package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** A VirtualService and the names of its HTTP routes whose weights Weir writes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IstioVirtualService {

  @JsonPropertyDescription("Name of the VirtualService, in the rollout's namespace.")
  @Required
  public String name;

  @JsonPropertyDescription(
      "Names of the HTTP routes whose weights Weir writes; only these routes are touched. May"
          + " be omitted when the VirtualService has exactly one HTTP route.")
  public List<String> routes;
}
