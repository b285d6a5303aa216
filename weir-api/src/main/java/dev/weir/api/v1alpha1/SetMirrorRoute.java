package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * A route Weir names and owns, ahead of the user's routes: the requests it matches are answered by
 * the stable revision, and a percentage of them is copied to the canary, whose answers are
 * discarded. A step with neither {@code match} nor {@code percentage} removes the named route.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SetMirrorRoute {

  @JsonPropertyDescription(
      "Name of the route, a DNS label; the route Weir writes is named weir.ROLLOUT.NAME. A later"
          + " setHeaderRoute or setMirrorRoute with the same name replaces it.")
  @Required
  public String name;

  @JsonPropertyDescription(
      "Percentage (0-100) of the matching requests copied to the canary; 100 when only match is"
          + " given.")
  @Min(0)
  @Max(100)
  public Integer percentage;

  @JsonPropertyDescription(
      "Requests the route takes, any of the entries (each entry's fields all match). Omitted with"
          + " a percentage: every request. Omitted without one: the named route is removed.")
  public List<MirrorRouteMatch> match;

  /** Whether this step takes the named route away rather than setting it. */
  public boolean removes() {
    return percentage == null && (match == null || match.isEmpty());
  }
}
