package dev.weir.cli.command;

import dev.weir.cli.ExitCode;
import dev.weir.cli.lint.ManifestLinter;
import dev.weir.cli.manifest.ManifestFiles;
import dev.weir.cli.review.PullRequestReview;
import dev.weir.cli.review.ReviewFormat;
import dev.weir.cli.review.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code kubectl weir lint -f FILE...}, and {@code kubectl weir lint --diff BASE [HEAD]}. */
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
      "With --diff BASE [HEAD]: a risk review of the change from BASE to HEAD (git revisions of"
          + " the repository, or two folders; HEAD defaults to the working tree). Both sides are"
          + " read as a GitOps tool applies them (Kustomize overlays built with kubectl"
          + " kustomize), and each risky change is printed as FILE:LINE: high|warning|info:"
          + " OBJECT: MESSAGE: analysis removed or weakened, steps or pauses removed, a jump to"
          + " 100 %, replicas to 0, limits or probes removed, a selector changed, a Secret in"
          + " plain text, a Prometheus address changed, prune or selfHeal turned on, and lint's"
          + " own findings in what changed. Never talks to a cluster.",
      "",
      "Exit codes: 0 no errors (warnings allowed), 1 errors found or a file unreadable. With"
          + " --diff: 0 nothing at or above --fail-on, 1 the review could not be made (not a"
          + " revision, no kubectl), 2 a risky change at or above --fail-on."
    },
    mixinStandardHelpOptions = true)
final class LintCommand implements Callable<Integer> {

  @Option(
      names = {"-f", "--filename"},
      paramLabel = "FILE",
      description =
          "A manifest file, a directory (its .yaml, .yml and .json files), or - for stdin."
              + " Repeatable. With --diff: the folders or files of the repository to review"
              + " (default: all).")
  List<String> files;

  @Option(
      names = "--diff",
      arity = "1..2",
      paramLabel = "REF",
      description =
          "Review the change from BASE to HEAD: git revisions (a branch, tag, commit,"
              + " origin/main, HEAD~1) of the repository the current folder is in, or folders."
              + " Without HEAD: the working tree.")
  List<String> diff;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = ReviewFormat.Converter.class,
      description =
          "With --diff: text (default), json, or github (GitHub Actions annotations on the"
              + " pull request's lines).")
  ReviewFormat output;

  @Option(
      names = "--fail-on",
      paramLabel = "SEVERITY",
      defaultValue = "high",
      converter = FailOn.class,
      completionCandidates = FailOn.Names.class,
      description =
          "With --diff: exit 2 when a risk of this severity or worse is found: info, warning,"
              + " high (default), or none.")
  FailOn.Threshold failOn;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description =
          "With --diff: the git repository (a folder in it); default: the current folder.")
  Path repo;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (diff != null) {
      return review(
          repo == null ? Path.of("").toAbsolutePath() : repo.toAbsolutePath(),
          diff.get(0),
          diff.size() > 1 ? diff.get(1) : null,
          files == null ? List.of() : files,
          output,
          failOn.severity(),
          spec.commandLine().getOut());
    }
    if (files == null) {
      throw new ParameterException(
          spec.commandLine(), "Missing required option: '--filename=FILE' (or --diff BASE)");
    }
    if (spec.commandLine().getParseResult().hasMatchedOption("--output")
        || spec.commandLine().getParseResult().hasMatchedOption("--fail-on")) {
      throw new ParameterException(spec.commandLine(), "-o and --fail-on go with --diff");
    }
    var result = ManifestLinter.lint(ManifestFiles.read(files, System.in));
    print(result, spec.commandLine().getOut());
    return result.failed() ? ExitCode.ERROR : ExitCode.OK;
  }

  /** The risk review, written in the format asked for; the exit code says whether it fails. */
  static int review(
      Path start,
      String base,
      String head,
      List<String> scope,
      ReviewFormat format,
      Severity failOn,
      PrintWriter out)
      throws IOException {
    var report = PullRequestReview.review(start, base, head, scope);
    out.print(format.write(report, failOn));
    out.flush();
    return report.reaches(failOn) ? ExitCode.RISKY : ExitCode.OK;
  }

  static void print(ManifestLinter.Result result, PrintWriter out) {
    result.findings().forEach(out::println);
    result.summaries().forEach(out::println);
    if (result.summaries().isEmpty() && result.findings().isEmpty()) {
      out.println("no weir.dev objects found");
    }
    out.flush();
  }

  /** {@code --fail-on info|warning|high|none}. */
  static final class FailOn implements ITypeConverter<FailOn.Threshold> {

    /** The least severity that fails; null for none. */
    record Threshold(Severity severity) {}

    static final List<String> NAMES = List.of("info", "warning", "high", "none");

    /** For completion. */
    static final class Names extends ArrayList<String> {
      Names() {
        super(NAMES);
      }
    }

    @Override
    public Threshold convert(String value) {
      if (value.equalsIgnoreCase("none")) {
        return new Threshold(null);
      }
      Severity severity = Severity.parse(value);
      if (severity == null) {
        throw new TypeConversionException(
            "\"" + value + "\" is not a severity: use one of " + String.join(", ", NAMES));
      }
      return new Threshold(severity);
    }
  }
}
