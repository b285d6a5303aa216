package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The AnalysisRun a rollout is waiting on, and its phase when last seen. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutAnalysisRunStatus {

  @JsonPropertyDescription("Name of the AnalysisRun.")
  public String name;

  @JsonPropertyDescription("Its phase when last seen.")
  public AnalysisPhase phase;

  @JsonPropertyDescription("Its message when last seen.")
  public String message;

  public RolloutAnalysisRunStatus() {}

  public RolloutAnalysisRunStatus(String name, AnalysisPhase phase, String message) {
    this.name = name;
    this.phase = phase;
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RolloutAnalysisRunStatus r
        && Objects.equals(name, r.name)
        && phase == r.phase
        && Objects.equals(message, r.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, phase, message);
  }
}
