package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How a request's value (a header, the path, the method) is matched: exactly one field is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StringMatch {

  @JsonPropertyDescription("The value equals this text.")
  public String exact;

  @JsonPropertyDescription("The value begins with this text.")
  public String prefix;

  @JsonPropertyDescription(
      "The whole value matches this regular expression (RE2 syntax as the mesh reads it; Weir"
          + " checks that it compiles).")
  public String regex;

  public StringMatch() {}

  public static StringMatch exact(String value) {
    var match = new StringMatch();
    match.exact = value;
    return match;
  }

  public static StringMatch prefix(String value) {
    var match = new StringMatch();
    match.prefix = value;
    return match;
  }

  public static StringMatch regex(String value) {
    var match = new StringMatch();
    match.regex = value;
    return match;
  }
}
