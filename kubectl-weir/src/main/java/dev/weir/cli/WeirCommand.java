package dev.weir.cli;

import dev.weir.cli.command.ClusterOptions;
import dev.weir.cli.command.Commands;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl weir}: the plugin's commands. They are registered by {@link #commandLine}, only
 * the one invoked when it is clear which: picocli builds each command's model by reflection, and
 * building all of them costs a cold JVM a quarter of a second.
 */
@Command(
    name = "kubectl weir",
    description = {
      "Drive and watch Weir's progressive delivery: rollouts released step by step, their"
          + " traffic weights and their analysis.",
      ""
    },
    footer = {
      "",
      "Flags -n, --context and --kubeconfig are kubectl's and go after the command:"
          + " kubectl weir promote checkout -n shop.",
      "Docs: docs/plugin.md. Exit codes: 0 success, 1 error (status: see kubectl weir status"
          + " --help)."
    },
    mixinStandardHelpOptions = true,
    versionProvider = WeirCommand.VersionProvider.class)
final class WeirCommand implements Runnable {

  @Mixin ClusterOptions cluster;

  @Spec CommandSpec spec;

  /** No command: the list of commands, as kubectl prints its own. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The command line with the command {@code name} only, or with all commands when {@code name} is
   * null or not a command (help, completion, a typo to suggest a fix for).
   */
  static CommandLine commandLine(String name) {
    var commandLine = new CommandLine(new WeirCommand());
    boolean one =
        name != null
            && Commands.BY_NAME.containsKey(name)
            && !name.equals("help")
            && !name.equals(Completion.COMMAND);
    for (var entry : Commands.BY_NAME.entrySet()) {
      if (!one || entry.getKey().equals(name)) {
        commandLine.addSubcommand(entry.getKey(), entry.getValue().get());
      }
    }
    return commandLine;
  }

  static final class VersionProvider implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {Version.line()};
    }
  }
}
