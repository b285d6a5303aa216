package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A Gateway API route and the one rule of it whose backendRef weights Weir writes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayApiRoute {

  @JsonPropertyDescription("Name of the route, in the rollout's namespace.")
  @Required
  public String name;

  @JsonPropertyDescription(
      "Name of the rule (rules[].name) whose weights Weir writes. Set rule or ruleIndex, or"
          + " neither when the route has exactly one rule.")
  public String rule;

  @JsonPropertyDescription(
      "Position of the rule, counted from 0, for a rule without a name. Set rule or ruleIndex,"
          + " or neither when the route has exactly one rule.")
  @Min(0)
  public Integer ruleIndex;
}
