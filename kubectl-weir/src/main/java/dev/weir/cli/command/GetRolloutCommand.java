package dev.weir.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.cli.ExitCode;
import dev.weir.cli.Trace;
import dev.weir.cli.cluster.Rollouts;
import dev.weir.cli.view.RolloutTree;
import dev.weir.cli.view.RolloutView;
import dev.weir.cli.view.RolloutViews;
import dev.weir.cli.view.Style;
import io.fabric8.kubernetes.client.Watch;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kubectl weir get rollout NAME [--watch] [-o json|yaml]}. */
@Command(
    name = "rollout",
    aliases = {"rollouts", "wro"},
    description = {
      "Show a rollout: its status, step and weights, the canary steps while a release is under way,"
          + " and a tree of its revisions, their ReplicaSets (ready pods) and AnalysisRuns (each"
          + " metric's latest measurement).",
      "Colours and symbols on a terminal; plain text when piped (or with NO_COLOR set)."
    },
    mixinStandardHelpOptions = true)
final class GetRolloutCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "NAME", description = "Name of the rollout.")
  String name;

  @Option(
      names = {"-w", "--watch"},
      description = "Keep watching: show the rollout again each time it changes.")
  boolean watch;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      converter = OutputFormat.Converter.class,
      description = "Print the tree's data as json or yaml instead.")
  OutputFormat output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    var rollouts = cluster.rollouts();
    PrintWriter out = spec.commandLine().getOut();
    Style style = Style.forStdout();
    if (!watch) {
      var view = view(rollouts, name);
      Trace.mark("analysis runs read");
      out.print(show(view, output, style, Instant.now()));
      out.flush();
      Trace.mark("shown");
      return ExitCode.OK;
    }
    watch(rollouts, name, output, style, out);
    return ExitCode.OK;
  }

  /**
   * Reads the rollout, its ReplicaSets and its AnalysisRuns, one request after the other: over
   * HTTP/1.1, requests in parallel would each open a connection and pay a TLS handshake.
   */
  static RolloutView view(Rollouts rollouts, String name) {
    JsonNode rollout = rollouts.get(name);
    Trace.mark("rollout read");
    List<JsonNode> replicaSets = rollouts.replicaSets(rollout);
    Trace.mark("replica sets read");
    List<JsonNode> runs = rollouts.analysisRuns(rollouts.namespace(), name);
    return RolloutViews.of(rollout, replicaSets, runs);
  }

  /** The tree, or the view as JSON or YAML. */
  static String show(RolloutView view, OutputFormat output, Style style, Instant now) {
    return output == null ? RolloutTree.render(view, style, now) : output.write(view);
  }

  /**
   * Shows the rollout, then again whenever it, a ReplicaSet of its namespace or one of its
   * AnalysisRuns changes. A terminal is redrawn in place (and each second, for the ages); piped
   * output gets each new state after a blank line, only when it differs from the last.
   */
  static void watch(
      Rollouts rollouts, String name, OutputFormat output, Style style, PrintWriter out)
      throws InterruptedException {
    var changes = new Changes();
    List<Watch> watches = startWatches(rollouts, name, changes);
    String last = null;
    try {
      while (true) {
        if (changes.takeClosed()) {
          watches.forEach(Watch::close);
          watches = startWatches(rollouts, name, changes);
        }
        String shown = show(view(rollouts, name), output, style, Instant.now());
        if (!shown.equals(last)) {
          if (style.terminal() && output == null) {
            out.print(style.clearScreen());
          } else if (last != null && output == null) {
            out.println();
          } else if (last != null && output == OutputFormat.YAML) {
            out.println("---");
          }
          out.print(shown);
          out.flush();
          last = shown;
        }
        boolean terminalTree = style.terminal() && output == null;
        while (!changes.await(Duration.ofSeconds(1)) && !terminalTree) {
          // Piped: nothing to show until something changes.
        }
      }
    } finally {
      watches.forEach(Watch::close);
    }
  }

  private static List<Watch> startWatches(Rollouts rollouts, String name, Changes changes) {
    var watches = new ArrayList<Watch>();
    watches.add(rollouts.watchRollout(name, c -> changes.changed(), changes::closed));
    watches.add(rollouts.watchReplicaSets(c -> changes.changed(), changes::closed));
    Watch runs = rollouts.watchAnalysisRuns(name, c -> changes.changed(), changes::closed);
    if (runs != null) {
      watches.add(runs);
    }
    return watches;
  }
}
