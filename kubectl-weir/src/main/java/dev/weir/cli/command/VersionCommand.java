package dev.weir.cli.command;

import dev.weir.cli.ExitCode;
import dev.weir.cli.Version;
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
    spec.commandLine().getOut().println(Version.line());
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }
}
