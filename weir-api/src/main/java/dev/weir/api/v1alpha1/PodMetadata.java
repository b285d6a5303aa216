package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** Labels and annotations Weir puts on the pods of one side of a release. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodMetadata {

  @JsonPropertyDescription("Labels to add.")
  public Map<String, String> labels;

  @JsonPropertyDescription("Annotations to add.")
  public Map<String, String> annotations;
}
