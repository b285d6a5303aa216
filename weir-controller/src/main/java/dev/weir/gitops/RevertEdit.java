package dev.weir.gitops;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The edit a write-back makes to its file, decided from the file's text alone: the field restored
 * to the stable value, or no edit and why. Someone may have fixed the file already (the field holds
 * the stable value), or moved on (it holds a third value): then nothing is written, since a revert
 * over a newer decision would undo it.
 */
sealed interface RevertEdit {

  /** The file with the field restored. */
  record Restored(String text, String before) implements RevertEdit {}

  /** Nothing to write; {@code why} says so in status. */
  record Unchanged(String why) implements RevertEdit {}

  /** The field is not where the request says; a mistake of the spec, or of the file. */
  record NotFound(String why) implements RevertEdit {}

  static RevertEdit of(String text, RevertRequest request) {
    Optional<YamlField> found = find(text, request.document(), request.field());
    if (found.isEmpty()) {
      return new NotFound(
          "no scalar field "
              + request.field()
              + (request.document().isEmpty()
                  ? ""
                  : " in the document " + new TreeMap<>(request.document()))
              + " of "
              + request.path());
    }
    var field = found.get();
    if (field.value().equals(request.stableValue())) {
      return new Unchanged(
          request.field()
              + " in "
              + request.path()
              + " already holds the stable value "
              + request.stableValue()
              + ": no commit");
    }
    if (!field.value().equals(request.abortedValue())) {
      return new Unchanged(
          request.field()
              + " in "
              + request.path()
              + " holds "
              + field.value()
              + ", neither the aborted "
              + request.abortedValue()
              + " nor the stable "
              + request.stableValue()
              + ": git moved on, no commit");
    }
    try {
      return new Restored(field.replacedWith(request.stableValue()), field.value());
    } catch (IllegalArgumentException e) {
      return new NotFound(e.getMessage());
    }
  }

  private static Optional<YamlField> find(String text, Map<String, String> document, String path) {
    try {
      return YamlField.find(text, document, path);
    } catch (RuntimeException e) {
      // Not YAML (a conflict marker, a template): said as a field not found, with the parser's
      // line.
      return Optional.empty();
    }
  }
}
