package dev.weir.cli.command;

import dev.weir.cli.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kubectl weir completion bash|zsh}. */
@Command(
    name = "completion",
    description = {
      "Print a shell completion script for bash or zsh. Load it with"
          + " source <(kubectl weir completion bash) (or zsh), now or in your shell's rc file.",
      "The script completes kubectl-weir typed on its own. kubectl weir ... is completed by"
          + " kubectl's own completion (source <(kubectl completion bash)), which asks the"
          + " executable kubectl_complete-weir on PATH, installed beside kubectl-weir."
    },
    mixinStandardHelpOptions = true)
final class CompletionCommand implements Callable<Integer> {

  enum Shell {
    bash,
    zsh
  }

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    spec.commandLine().getOut().print(script(shell));
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }

  static String script(Shell shell) throws IOException {
    try (InputStream in = CompletionCommand.class.getResourceAsStream("completion." + shell)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
