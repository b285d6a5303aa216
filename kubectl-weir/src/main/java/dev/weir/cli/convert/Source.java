package dev.weir.cli.convert;

import dev.weir.cli.manifest.YamlDocument;
import java.util.List;

/**
 * A source object being converted, and where what is said about it goes: each diagnostic carries
 * the line of the field it is about.
 */
final class Source {

  final YamlDocument doc;
  private final List<Diagnostic> diagnostics;

  Source(YamlDocument doc, List<Diagnostic> diagnostics) {
    this.doc = doc;
    this.diagnostics = diagnostics;
  }

  /** Another source object, whose diagnostics go to the same place. */
  Source about(YamlDocument other) {
    return new Source(other, diagnostics);
  }

  /** Something at {@code path} that does not carry over. */
  void warn(String path, String message) {
    add(Diagnostic.Severity.WARNING, path, message);
  }

  /** How something at {@code path} carried over, when it was not a plain copy. */
  void note(String path, String message) {
    add(Diagnostic.Severity.NOTE, path, message);
  }

  private void add(Diagnostic.Severity severity, String path, String message) {
    diagnostics.add(new Diagnostic(doc.file(), doc.line(path), severity, path, message));
  }

  /** {@code Kind namespace/name}, as messages name it. */
  String describe() {
    return doc.kind() + " " + (doc.hasNamespace() ? doc.namespace() + "/" : "") + doc.name();
  }

  /** {@code file:line}, where the object begins. */
  String where() {
    return doc.file() + ":" + doc.line();
  }
}
