package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** The source of an argument's value: exactly one field is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ArgumentValueFrom {

  @JsonPropertyDescription(
      "A key of a Secret in the run's namespace that opted in to analysis (label"
          + " weir.dev/analysis-secret=true; any other is an InvalidSpec and is never read). Read"
          + " at each measurement, never copied into the AnalysisRun, its status, Events or logs,"
          + " and sent only to the Prometheus addresses the controller allows"
          + " (weir.prometheus.allowed-addresses).")
  public SecretKeySelector secretKeyRef;

  @JsonPropertyDescription(
      "A field of the Rollout, e.g. metadata.name, metadata.namespace,"
          + " metadata.labels['app'] or spec.replicas; read when the run is created.")
  public ObjectFieldSelector fieldRef;

  @JsonPropertyDescription(
      "The pod-template hash of the Stable or the Latest (canary) revision, read when the run is"
          + " created: the label weir.dev/pod-template-hash of that revision's pods.")
  public PodTemplateHashValue podTemplateHashValue;
}
