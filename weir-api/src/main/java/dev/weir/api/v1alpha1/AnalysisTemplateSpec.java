package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The metrics of a template, the args they take, and the templates it includes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisTemplateSpec {

  @JsonPropertyDescription(
      "Arguments the queries use as {{args.NAME}}. An argument without a value must be given"
          + " by the rollout (or the including template); a value here is its default.")
  public List<AnalysisArgument> args;

  @JsonPropertyDescription("The metrics to measure. Names are unique across included templates.")
  public List<Metric> metrics;

  @JsonPropertyDescription(
      "Other templates whose metrics and args are part of this one (AnalysisTemplates of the"
          + " same namespace, or ClusterAnalysisTemplates with clusterScope).")
  public List<AnalysisTemplateRef> templates;
}
