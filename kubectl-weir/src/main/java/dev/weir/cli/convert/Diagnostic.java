package dev.weir.cli.convert;

/**
 * Something {@code kubectl weir convert} says about a source object, where it is, as compilers say
 * it: {@code rollout.yaml:31: warning: spec.strategy.canary.trafficRouting.nginx: ...}.
 *
 * @param line 1-based
 * @param field the field's path in the source object, or empty for the whole object
 */
public record Diagnostic(String file, int line, Severity severity, String field, String message) {

  public enum Severity {
    /** The file is not YAML: nothing is converted. */
    ERROR,
    /** Something that does not carry over; {@code --strict} refuses the conversion. */
    WARNING,
    /** How something carried over, when it was not a copy. */
    NOTE;

    String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Override
  public String toString() {
    return file
        + ":"
        + line
        + ": "
        + severity.word()
        + ": "
        + (field.isEmpty() ? "" : field + ": ")
        + message;
  }
}
