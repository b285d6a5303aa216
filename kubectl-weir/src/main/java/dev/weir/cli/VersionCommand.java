package dev.weir.cli;

import dev.weir.api.WellKnownNames;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kubectl weir version}. */
@Command(
    name = "version",
    description = "Print the plugin's version, the API it speaks and the Java it runs on.",
    mixinStandardHelpOptions = true)
final class VersionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(text());
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }

  static String text() {
    return "kubectl-weir "
        + Version.get()
        + " ("
        + WellKnownNames.API_VERSION
        + ", Java "
        + System.getProperty("java.version")
        + ")";
  }
}
