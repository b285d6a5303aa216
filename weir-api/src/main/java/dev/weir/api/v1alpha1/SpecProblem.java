package dev.weir.api.v1alpha1;

/**
 * Something wrong with what the user declared, named by the field that holds it: the text of an
 * {@code InvalidSpec} condition.
 */
public record SpecProblem(String field, String message) {

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
