package dev.weir.cli.command;

import dev.weir.cli.CliException;
import dev.weir.cli.ExitCode;
import dev.weir.cli.lint.ManifestLinter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubectl weir lint -f FILE...}. */
@Command(
    name = "lint",
    description = {
      "Check manifests offline, before they reach git or a cluster. Each problem is printed as"
          + " FILE:LINE:COLUMN: error|warning: FIELD: MESSAGE.",
      "Checks: YAML syntax; each weir.dev object against its CRD's schema (types, required"
          + " fields, ranges, and unknown fields, which the API server would silently drop);"
          + " each Rollout against the rules Weir applies before it acts (what would be an"
          + " InvalidSpec) and the sanity of its steps; references from Rollouts to the analysis"
          + " templates in the same files, and the arguments those need. Other objects are"
          + " skipped.",
      "",
      "Exit codes: 0 no errors (warnings allowed), 1 errors found or a file unreadable."
    },
    mixinStandardHelpOptions = true)
final class LintCommand implements Callable<Integer> {

  @Option(
      names = {"-f", "--filename"},
      paramLabel = "FILE",
      required = true,
      description =
          "A manifest file, a directory (its .yaml, .yml and .json files), or - for stdin."
              + " Repeatable.")
  List<String> files;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    var result = ManifestLinter.lint(read(files, System.in));
    print(result, spec.commandLine().getOut());
    return result.failed() ? ExitCode.ERROR : ExitCode.OK;
  }

  static void print(ManifestLinter.Result result, PrintWriter out) {
    result.findings().forEach(out::println);
    result.summaries().forEach(out::println);
    if (result.summaries().isEmpty() && result.findings().isEmpty()) {
      out.println("no weir.dev objects found");
    }
    out.flush();
  }

  /** The files' contents by name, directories expanded, in the order given. */
  static Map<String, String> read(List<String> names, InputStream stdin) throws IOException {
    var files = new LinkedHashMap<String, String>();
    for (String name : names) {
      if (name.equals("-")) {
        files.put("<stdin>", new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
        continue;
      }
      Path path = Path.of(name);
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          for (Path p :
              walk.filter(Files::isRegularFile).filter(LintCommand::manifest).sorted().toList()) {
            files.put(p.toString(), Files.readString(p));
          }
        }
        continue;
      }
      try {
        files.put(name, Files.readString(path));
      } catch (NoSuchFileException e) {
        throw CliException.error("the path \"" + name + "\" does not exist");
      }
    }
    return files;
  }

  private static boolean manifest(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }
}
