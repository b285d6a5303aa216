package dev.weir.cli.review;

/**
 * One risky change, said so that a reviewer understands it without knowing Weir's code.
 *
 * @param severity how much to worry
 * @param location where the change is, in the pull request's files
 * @param object the object changed, as {@code Kind namespace/name}, or empty for a whole file
 * @param build the Kustomize overlay the object was built by, or empty for a plain manifest
 * @param field the field's path in the object ({@code spec.strategy.canary.steps[2]}), or empty
 * @param message the change and what follows from it, one sentence
 */
public record Risk(
    Severity severity, Location location, String object, String build, String field, String message)
    implements Comparable<Risk> {

  /** {@code FILE:LINE: high: Rollout shop/checkout (overlays/production): MESSAGE}. */
  @Override
  public String toString() {
    return location.file()
        + ":"
        + location.line()
        + ": "
        + severity.word()
        + ": "
        + (object.isEmpty() ? "" : object + (build.isEmpty() ? "" : " (" + build + ")") + ": ")
        + message;
  }

  /** By file and line, the worst first on a line. */
  @Override
  public int compareTo(Risk o) {
    int c = location.file().compareTo(o.location.file());
    if (c != 0) {
      return c;
    }
    c = Integer.compare(location.line(), o.location.line());
    if (c != 0) {
      return c;
    }
    c = o.severity.compareTo(severity);
    if (c != 0) {
      return c;
    }
    c = build.compareTo(o.build);
    return c != 0 ? c : message.compareTo(o.message);
  }
}
