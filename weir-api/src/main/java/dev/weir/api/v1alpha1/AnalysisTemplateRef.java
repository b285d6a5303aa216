package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A reference to an AnalysisTemplate, or with clusterScope to a ClusterAnalysisTemplate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisTemplateRef {

  @JsonPropertyDescription("Name of the template.")
  @Required
  public String templateName;

  @JsonPropertyDescription(
      "True for a ClusterAnalysisTemplate; else an AnalysisTemplate of the rollout's namespace.")
  public Boolean clusterScope;

  public AnalysisTemplateRef() {}

  public AnalysisTemplateRef(String templateName) {
    this.templateName = templateName;
  }

  /** How messages name the template. */
  public String describe() {
    return (Boolean.TRUE.equals(clusterScope) ? "ClusterAnalysisTemplate " : "AnalysisTemplate ")
        + templateName;
  }
}
