package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The release strategy: exactly one of its fields is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStrategy {

  @JsonPropertyDescription(
      "Canary: the new revision runs beside the stable one and receives a growing share of the"
          + " traffic, step by step.")
  public CanaryStrategy canary;

  @JsonPropertyDescription(
      "Blue-green: the new revision comes up in full behind the preview Service, is judged, and"
          + " takes all the traffic at once; the old one is kept for an instant rollback.")
  public BlueGreenStrategy blueGreen;
}
