package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One HTTP header sent with each query. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpHeader {

  @JsonPropertyDescription("Header name.")
  @Required
  public String name;

  @JsonPropertyDescription("Header value; may use {{args.NAME}} (a Secret-backed argument).")
  @Required
  public String value;
}
