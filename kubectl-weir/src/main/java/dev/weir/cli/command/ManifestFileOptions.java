package dev.weir.cli.command;

import dev.weir.cli.manifest.ManifestFiles;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code -f FILE...}: the manifests a command reads, given as kubectl's {@code -f} takes them. */
final class ManifestFileOptions {

  @Option(
      names = {"-f", "--filename"},
      paramLabel = "FILE",
      required = true,
      description =
          "A manifest file, a directory (its .yaml, .yml and .json files), or - for stdin."
              + " Repeatable.")
  List<String> files;

  /** The files' contents by name, directories expanded, stdin read for {@code -}. */
  Map<String, String> read() throws IOException {
    return ManifestFiles.read(files, System.in);
  }
}
