package dev.weir.cli.review;

import dev.weir.cli.lint.Finding;
import dev.weir.cli.lint.ManifestLinter;
import java.util.List;
import java.util.Map;

/**
 * What {@code kubectl weir lint} finds in the objects a pull request adds or changes, as the
 * overlay builds them: an error there is a Rollout or template that would be refused or stop at
 * {@code InvalidSpec}. Objects the pull request leaves alone are not its doing and are not
 * reported.
 */
final class HeadLint {

  private HeadLint() {}

  static void check(SideReader.Content head, List<Change> changes, Risks risks) {
    for (Map.Entry<String, Map<String, String>> input : head.lintInputs().entrySet()) {
      if (input.getValue().isEmpty()) {
        continue;
      }
      for (Finding finding : ManifestLinter.lint(input.getValue()).findings()) {
        Change change = changedAt(changes, finding);
        if (change == null) {
          continue;
        }
        boolean error = finding.severity() == Finding.Severity.ERROR;
        ManifestObject object = change.head();
        Location location =
            object.build().isEmpty()
                ? new Location(finding.file(), finding.line())
                : object.locator().locate(finding.field());
        risks.add(
            new Risk(
                error ? Severity.HIGH : Severity.WARNING,
                location,
                object.label(),
                object.build(),
                finding.field(),
                (error ? "lint error: " : "lint warning: ")
                    + (finding.field().isEmpty() ? "" : finding.field() + ": ")
                    + finding.message()));
      }
    }
  }

  /** The object added or changed whose document holds the finding, or null. */
  private static Change changedAt(List<Change> changes, Finding finding) {
    for (Change change : changes) {
      if (change.head() == null || !change.changed()) {
        continue;
      }
      var doc = change.head().document();
      int first = doc.node().getStartMark().getLine() + 1;
      int last = doc.node().getEndMark().getLine() + 1;
      if (doc.file().equals(finding.file()) && finding.line() >= first && finding.line() <= last) {
        return change;
      }
    }
    return null;
  }
}
