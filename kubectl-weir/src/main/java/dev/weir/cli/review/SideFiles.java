package dev.weir.cli.review;

import dev.weir.cli.manifest.YamlDocument;
import dev.weir.cli.manifest.YamlDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The files of one side of a review, written out in a folder of their own, read once each. */
final class SideFiles {

  private final String label;
  private final Path tree;
  private final String shownPrefix;
  private final Map<String, String> texts = new HashMap<>();
  private final Map<String, List<YamlDocument>> documents = new HashMap<>();

  /**
   * @param label what the side is, for messages: {@code main (3e798c8)}, {@code the working tree}
   * @param tree the folder that holds the side's files, as the repository's top folder holds them
   * @param shownPrefix put before a file's path in what the user reads (the folder given, for a
   *     review of two folders; empty for git revisions, whose paths are the repository's)
   */
  SideFiles(String label, Path tree, String shownPrefix) {
    this.label = label;
    this.tree = tree;
    this.shownPrefix = shownPrefix;
  }

  String label() {
    return label;
  }

  Path tree() {
    return tree;
  }

  /** The objects of a file (relative to the top folder); none when it is missing or not YAML. */
  List<YamlDocument> documents(String file) {
    return documents.computeIfAbsent(
        file,
        f -> {
          try {
            return YamlDocuments.parse(shown(f), text(f));
          } catch (YamlDocuments.SyntaxError e) {
            return List.of();
          }
        });
  }

  /** The text of a file, or empty when it is missing. */
  String text(String file) {
    return texts.computeIfAbsent(
        file,
        f -> {
          Path path = tree.resolve(f);
          try {
            return Files.isRegularFile(path) ? Files.readString(path) : "";
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  List<String> lines(String file) {
    return text(file).lines().toList();
  }

  /** The file's path as the user knows it. */
  String shown(String file) {
    return shownPrefix + file;
  }
}
