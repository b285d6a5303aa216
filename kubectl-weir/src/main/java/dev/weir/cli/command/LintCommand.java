package dev.weir.cli.command;

import dev.weir.cli.ExitCode;
import dev.weir.cli.lint.ManifestLinter;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

  @Mixin ManifestFileOptions manifests;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    var result = ManifestLinter.lint(manifests.read());
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
}
