package dev.weir.cli.command;

import dev.weir.cli.CliException;
import dev.weir.cli.ExitCode;
import dev.weir.cli.convert.ConvertedStream;
import dev.weir.cli.convert.Diagnostic;
import dev.weir.cli.convert.ManifestConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubectl weir convert -f FILE... [--strict] [-o yaml|json]}. */
@Command(
    name = "convert",
    description = {
      "Convert Argo Rollouts manifests (Rollout, AnalysisTemplate, ClusterAnalysisTemplate,"
          + " AnalysisRun) and Flagger manifests (Canary with its Deployment and HPA,"
          + " MetricTemplate) into Weir's. The result goes to stdout as a YAML stream; other"
          + " objects (Services, VirtualServices) pass through as they are. Give a Canary's"
          + " Deployment, HPA and MetricTemplates in the same command.",
      "What does not carry over is a warning on stderr, FILE:LINE: warning: FIELD: MESSAGE;"
          + " what carried over other than as a copy (a condition in CEL, a Flagger analysis as"
          + " steps) is a note.",
      "",
      "Exit codes: 0 converted (warnings allowed without --strict), 1 a file unreadable or not"
          + " YAML, or a warning with --strict (then nothing is written)."
    },
    mixinStandardHelpOptions = true)
final class ConvertCommand implements Callable<Integer> {

  @Mixin ManifestFileOptions manifests;

  @Option(
      names = "--strict",
      description = "Fail, writing nothing, when anything does not carry over (any warning).")
  boolean strict;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "yaml",
      converter = OutputFormat.Converter.class,
      description = "yaml (default: a stream, with comments saying how) or json (a List).")
  OutputFormat output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    var files = manifests.read();
    return convert(files, strict, output, spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Converts, writes the result to {@code out} and what was found to {@code err}. */
  static int convert(
      Map<String, String> files,
      boolean strict,
      OutputFormat output,
      PrintWriter out,
      PrintWriter err) {
    var conversion = ManifestConverter.convert(files);
    conversion.diagnostics().forEach(err::println);
    long warnings = conversion.warnings();
    if (conversion.failed()) {
      err.flush();
      throw CliException.error("nothing converted: the files above are not YAML");
    }
    if (strict && warnings > 0) {
      err.flush();
      throw CliException.error(
          warnings + (warnings == 1 ? " warning" : " warnings") + " and --strict: nothing written");
    }
    if (conversion.objects().isEmpty()) {
      err.println("no objects found");
    }
    out.print(
        output == OutputFormat.JSON
            ? ConvertedStream.json(conversion.objects())
            : ConvertedStream.yaml(conversion.objects()));
    long notes =
        conversion.diagnostics().stream()
            .filter(d -> d.severity() == Diagnostic.Severity.NOTE)
            .count();
    err.println(
        "converted "
            + conversion.objects().size()
            + (conversion.objects().size() == 1 ? " object" : " objects")
            + ": "
            + warnings
            + (warnings == 1 ? " warning, " : " warnings, ")
            + notes
            + (notes == 1 ? " note" : " notes"));
    out.flush();
    err.flush();
    return ExitCode.OK;
  }
}
