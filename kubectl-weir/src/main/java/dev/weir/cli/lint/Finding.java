package dev.weir.cli.lint;

/**
 * One thing {@code kubectl weir lint} found, where it is: printed as compilers print, {@code
 * rollout.yaml:31:24: error: spec.strategy.canary.steps[2].setWeight: 120 is out of range 0..100},
 * so that editors jump to it.
 *
 * @param line 1-based
 * @param column 1-based
 * @param field the field's path in the object, or empty for the whole document
 */
public record Finding(
    String file, int line, int column, Severity severity, String field, String message)
    implements Comparable<Finding> {

  /** How bad: an error fails lint; a warning leaves its exit code alone. */
  public enum Severity {
    ERROR,
    WARNING;

    public String word() {
      return this == ERROR ? "error" : "warning";
    }
  }

  @Override
  public String toString() {
    return file
        + ":"
        + line
        + ":"
        + column
        + ": "
        + severity.word()
        + ": "
        + (field.isEmpty() ? "" : field + ": ")
        + message;
  }

  @Override
  public int compareTo(Finding o) {
    int c = file.compareTo(o.file);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(line, o.line);
    return c != 0 ? c : Integer.compare(column, o.column);
  }
}
