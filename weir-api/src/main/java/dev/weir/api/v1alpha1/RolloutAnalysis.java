package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The templates and metrics an analysis runs and the values of their args. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutAnalysis {

  @JsonPropertyDescription(
      "Templates whose metrics make up the run. At least one template or one metric is required.")
  public List<AnalysisTemplateRef> templates;

  @JsonPropertyDescription(
      "Metrics written here, without a template: measured beside the templates' metrics, with"
          + " the same fields as a template's metric. Their {{args.NAME}} take the values of args.")
  public List<Metric> metrics;

  @JsonPropertyDescription(
      "Values of the templates' args and of those the metrics written here use;"
          + " valueFrom.podTemplateHashValue and fieldRef are read from this rollout when the run"
          + " is created.")
  public List<AnalysisArgument> args;
}
