package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The templates an analysis runs and the values of their args. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutAnalysis {

  @JsonPropertyDescription("Templates whose metrics make up the run.")
  public List<AnalysisTemplateRef> templates;

  @JsonPropertyDescription(
      "Values of the templates' args; valueFrom.podTemplateHashValue and fieldRef are read from"
          + " this rollout when the run is created.")
  public List<AnalysisArgument> args;
}
