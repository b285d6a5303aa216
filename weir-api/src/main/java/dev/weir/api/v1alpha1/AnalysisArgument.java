package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A named value the queries use as {{args.NAME}}: given, or taken from somewhere. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisArgument {

  @JsonPropertyDescription("Name of the argument.")
  @Required
  public String name;

  @JsonPropertyDescription("The value.")
  public String value;

  @JsonPropertyDescription("Where to take the value from, instead of value.")
  public ArgumentValueFrom valueFrom;

  public AnalysisArgument() {}

  public AnalysisArgument(String name, String value) {
    this.name = name;
    this.value = value;
  }
}
