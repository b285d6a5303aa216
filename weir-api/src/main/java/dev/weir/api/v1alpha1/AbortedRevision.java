package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * A revision whose release was aborted, remembered after the release is over: a sync that declares
 * the same pod template again finds it here and is held on stable instead of releasing it again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AbortedRevision {

  @JsonPropertyDescription("Pod-template hash of the aborted revision.")
  public String podTemplateHash;

  @JsonPropertyDescription("The images of the revision's containers, in the template's order.")
  public List<String> images = new ArrayList<>();

  @JsonPropertyDescription("When its release was aborted.")
  public String abortedAt;

  @JsonPropertyDescription(
      "Why: AnalysisFailed, AnalysisError, ProgressDeadlineExceeded, or Aborted (on request).")
  public String reason;

  @JsonPropertyDescription("The abort's message, as status.abortMessage said it.")
  public String message;

  @JsonPropertyDescription("The AnalysisRun whose verdict aborted the release, if one did.")
  public String analysisRun;

  @JsonPropertyDescription("The metric of that run that failed (or ended in Error).")
  public String metric;

  @JsonPropertyDescription("That metric's last measured value.")
  public String value;

  @JsonPropertyDescription(
      "The write-back of this abort to git (spec.gitWriteBack): pending, the commit that"
          + " restored the stable value, or why none was made.")
  public GitWriteBackStatus writeBack;

  /**
   * Why the revision was aborted, in a few words, as Weir's messages and {@code kubectl weir get}
   * say it: {@code AnalysisFailed: metric success-rate = 0.8, AnalysisRun checkout-7f9c-2-step-2},
   * {@code Aborted on request}.
   */
  public String cause() {
    var why = new StringBuilder(reason == null ? "Aborted" : reason);
    if ("Aborted".equals(reason)) {
      why.append(" on request");
    }
    if (metric != null) {
      why.append(": metric ").append(metric);
      if (value != null) {
        why.append(" = ").append(value);
      }
    }
    if (analysisRun != null) {
      why.append(metric != null ? ", " : ": ").append("AnalysisRun ").append(analysisRun);
    }
    return why.toString();
  }
}
