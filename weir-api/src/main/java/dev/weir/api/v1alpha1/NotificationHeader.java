package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One HTTP header of a notice: a value, or a value from a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationHeader {

  @JsonPropertyDescription("Header name.")
  @Required
  public String name;

  @JsonPropertyDescription("The value, as written; may use the placeholders of the body.")
  public String value;

  @JsonPropertyDescription("Where to take the value from, instead of value.")
  public SecretValueSource valueFrom;

  public NotificationHeader() {}

  public NotificationHeader(String name, String value) {
    this.name = name;
    this.value = value;
  }
}
