package dev.weir.cli;

import dev.weir.cli.cluster.Cluster;
import dev.weir.cli.cluster.KubeErrors;
import dev.weir.cli.cluster.SelectorThreads;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code kubectl-weir} executable: kubectl runs it for {@code kubectl weir ...}. A plain main
 * with picocli and the fabric8 client on the JDK's HTTP client; it does not start Quarkus or the
 * operator, so it answers in a fraction of a second (see bench/plugin-startup).
 */
public final class Main {

  /** Commands that talk to a cluster: the connection is started before the arguments are parsed. */
  private static final Set<String> ONLINE =
      Set.of(
          "get", "list", "promote", "abort", "retry", "pause", "resume", "undo", "set", "restart",
          "status");

  /** Flags that take a value, so that the value is not taken for the command. */
  private static final Set<String> WITH_VALUE =
      Set.of(
          "-n",
          "--namespace",
          "--context",
          "--kubeconfig",
          "-o",
          "--output",
          "-t",
          "--timeout",
          "--to-revision",
          "-f",
          "--filename");

  private Main() {}

  public static void main(String[] args) {
    Trace.mark("main");
    startConnecting(args);
    var out =
        new PrintWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8));
    var err =
        new PrintWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8));
    int code = run(args, out, err);
    out.flush();
    err.flush();
    SelectorThreads.stop();
    Trace.mark("exit " + code);
    System.exit(code);
  }

  /** Runs one command line; what it prints goes to {@code out} and {@code err}. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    if (args.length > 0 && args[0].equals(Completion.COMMAND)) {
      return CompleteCommand.run(List.of(args).subList(1, args.length), out);
    }
    var commandLine = commandLine(commandOf(args), out, err);
    Trace.mark("commands built");
    return commandLine.execute(args);
  }

  static CommandLine commandLine(String command, PrintWriter out, PrintWriter err) {
    var commandLine = WeirCommand.commandLine(command);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(Main::usageError);
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println(line(e));
          cmd.getErr().flush();
          if (System.getenv("KUBECTL_WEIR_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
          }
          return e instanceof CliException cli ? cli.exitCode() : ExitCode.ERROR;
        });
    return commandLine;
  }

  /** kubectl's way: one line, then where to read more; exit code 1. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String path = cmd.getCommandSpec().qualifiedName();
    if (e instanceof UnmatchedArgumentException unmatched
        && cmd.getCommandSpec().subcommands().size() > 0
        && !unmatched.getUnmatched().isEmpty()
        && !unmatched.getUnmatched().get(0).startsWith("-")) {
      err.println(
          "error: unknown command \""
              + unmatched.getUnmatched().get(0)
              + "\" for \""
              + path
              + "\"");
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        err.println();
        err.println("Did you mean this?");
        suggestions.forEach(s -> err.println("\t" + s));
      }
    } else {
      err.println("error: " + e.getMessage());
    }
    err.println("See '" + path + " --help' for usage.");
    err.flush();
    return ExitCode.ERROR;
  }

  /** The one line an error shows as. */
  static String line(Exception e) {
    if (e instanceof CliException) {
      return e.getMessage();
    }
    if (e instanceof KubernetesClientException k) {
      return KubeErrors.describe(k, "the server");
    }
    return "error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  /** The command named by the raw arguments (the first word that is no flag or flag value). */
  static String commandOf(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        return null;
      }
      if (WITH_VALUE.contains(arg)) {
        i++;
      } else if (!arg.startsWith("-")) {
        return arg;
      }
    }
    return null;
  }

  /** Starts the connection from the raw arguments, for commands that need the cluster. */
  static void startConnecting(String[] args) {
    String kubeconfig = null;
    String context = null;
    String command = commandOf(args);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help") || arg.equals("--")) {
        return;
      }
      if (arg.equals("--kubeconfig") && i + 1 < args.length) {
        kubeconfig = args[++i];
      } else if (arg.startsWith("--kubeconfig=")) {
        kubeconfig = arg.substring("--kubeconfig=".length());
      } else if (arg.equals("--context") && i + 1 < args.length) {
        context = args[++i];
      } else if (arg.startsWith("--context=")) {
        context = arg.substring("--context=".length());
      } else if (WITH_VALUE.contains(arg)) {
        i++;
      }
    }
    if (command != null && ONLINE.contains(command)) {
      Cluster.startEarly(kubeconfig, context);
    }
  }
}
