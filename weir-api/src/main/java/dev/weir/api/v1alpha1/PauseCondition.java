package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One reason the rollout is paused. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PauseCondition {

  @JsonPropertyDescription("CanaryPauseStep (a pause step) or UserPause (spec.paused).")
  public String reason;

  @JsonPropertyDescription("When the pause began.")
  public String startTime;

  public PauseCondition() {}

  public PauseCondition(String reason, String startTime) {
    this.reason = reason;
    this.startTime = startTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PauseCondition p
        && Objects.equals(reason, p.reason)
        && Objects.equals(startTime, p.startTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, startTime);
  }
}
