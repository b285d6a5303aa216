package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * What a run measures: the metrics of its templates, copied when it was created so that a later
 * change of a template does not change a judgement under way, and the args they use.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisRunSpec {

  @JsonPropertyDescription("The metrics to measure.")
  @Required
  public List<Metric> metrics;

  @JsonPropertyDescription(
      "Values of the {{args.NAME}} the queries use. Secret-backed args keep their reference;"
          + " the value is read at each measurement.")
  public List<AnalysisArgument> args;

  @JsonPropertyDescription(
      "Set to true to stop measuring: metrics without a verdict end Successful unless their"
          + " measurements already decided otherwise. Weir sets it when the rollout no longer"
          + " needs the run (promoted, aborted, superseded).")
  public Boolean terminate;
}
