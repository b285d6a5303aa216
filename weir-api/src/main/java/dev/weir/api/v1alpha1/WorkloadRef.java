package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** An existing Deployment, in the rollout's namespace, whose pod template the rollout uses. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadRef {

  public static final String API_VERSION = "apps/v1";
  public static final String KIND = "Deployment";

  @JsonPropertyDescription("API version of the workload: apps/v1.")
  @Required
  public String apiVersion;

  @JsonPropertyDescription("Kind of the workload: Deployment.")
  @Required
  public String kind;

  @JsonPropertyDescription("Name of the Deployment, in the rollout's namespace.")
  @Required
  public String name;

  @JsonPropertyDescription(
      "What happens to the Deployment: never (left as it is), onsuccess (scaled to 0 once the"
          + " rollout's first revision is Healthy), progressively (it gives up a pod for each of"
          + " the rollout's pods that becomes available, never lowering the service's available"
          + " count). Defaults to never.")
  @Default("never")
  public WorkloadScaleDown scaleDown;

  /** The policy, with its default. */
  public WorkloadScaleDown scaleDownOrDefault() {
    return scaleDown == null ? WorkloadScaleDown.never : scaleDown;
  }
}
