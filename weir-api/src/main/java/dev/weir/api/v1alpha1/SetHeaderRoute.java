package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * A route Weir names and owns, ahead of the user's routes: requests carrying all the headers of
 * {@code match} go to the canary, whatever the weight. Without {@code match} the named route is
 * removed. Every route Weir named is removed at promotion and at an abort, before anything scales
 * down.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SetHeaderRoute {

  @JsonPropertyDescription(
      "Name of the route, a DNS label; the route Weir writes is named weir.ROLLOUT.NAME. A later"
          + " setHeaderRoute or setMirrorRoute with the same name replaces it.")
  @Required
  public String name;

  @JsonPropertyDescription(
      "Headers a request must all carry to reach the canary. Omitted or empty: the named route is"
          + " removed.")
  public List<HeaderRouteMatch> match;
}
