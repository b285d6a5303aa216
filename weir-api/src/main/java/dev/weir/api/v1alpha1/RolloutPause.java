package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.IntOrString;

/** A pause step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutPause {

  @JsonPropertyDescription(
      "How long to wait: seconds as a number, or a string with a unit (`30s`, `5m`, `1h`)."
          + " Without it, the rollout waits until it is promoted.")
  public IntOrString duration;
}
