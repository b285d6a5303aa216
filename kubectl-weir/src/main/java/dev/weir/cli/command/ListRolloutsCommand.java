package dev.weir.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.cli.ExitCode;
import dev.weir.cli.Json;
import dev.weir.cli.cluster.Rollouts;
import dev.weir.cli.view.RolloutSummary;
import dev.weir.cli.view.Style;
import dev.weir.cli.view.Table;
import io.fabric8.kubernetes.client.Watch;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubectl weir list rollouts [-A] [--watch] [-o json|yaml]}. */
@Command(
    name = "rollouts",
    aliases = {"rollout", "wro"},
    description = "List the rollouts of the namespace (or of all namespaces with -A).",
    mixinStandardHelpOptions = true)
final class ListRolloutsCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "List the rollouts of all namespaces.")
  boolean allNamespaces;

  @Option(
      names = {"-w", "--watch"},
      description = "After the list, print a rollout's line again each time it changes.")
  boolean watch;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      converter = OutputFormat.Converter.class,
      description = "Print the list as json or yaml ({\"items\": [...]}).")
  OutputFormat output;

  @Spec CommandSpec spec;

  /** The data behind the table. */
  record Listing(List<RolloutSummary> items) {}

  @Override
  public Integer call() throws InterruptedException {
    var rollouts = cluster.rollouts();
    PrintWriter out = spec.commandLine().getOut();
    Style style = Style.forStdout();
    List<RolloutSummary> items = list(rollouts, allNamespaces);
    Table table = new Table(RolloutSummary.header(allNamespaces), style);
    out.print(show(items, allNamespaces, output, table, Instant.now()));
    out.flush();
    if (items.isEmpty() && output == null) {
      spec.commandLine()
          .getErr()
          .println(
              allNamespaces
                  ? "No resources found"
                  : "No resources found in " + rollouts.namespace() + " namespace.");
    }
    if (watch) {
      watch(rollouts, allNamespaces, output, table, items, out);
    }
    return ExitCode.OK;
  }

  static List<RolloutSummary> list(Rollouts rollouts, boolean allNamespaces) {
    return rollouts.list(allNamespaces).stream().map(RolloutSummary::of).toList();
  }

  /** The table (with its header), or the listing as JSON or YAML. */
  static String show(
      List<RolloutSummary> items,
      boolean allNamespaces,
      OutputFormat output,
      Table table,
      Instant now) {
    if (output != null) {
      return output.write(new Listing(items));
    }
    if (items.isEmpty()) {
      return "";
    }
    var rows = items.stream().map(i -> i.cells(allNamespaces, now)).toList();
    table.fit(rows);
    var text = new StringBuilder(table.header()).append('\n');
    rows.forEach(r -> text.append(table.row(r)).append('\n'));
    return text.toString();
  }

  /** As {@code kubectl get -w}: each change prints the changed rollout's line (or document). */
  static void watch(
      Rollouts rollouts,
      boolean allNamespaces,
      OutputFormat output,
      Table table,
      List<RolloutSummary> listed,
      PrintWriter out)
      throws InterruptedException {
    Map<String, String> last = new HashMap<>();
    for (var item : listed) {
      last.put(item.namespace() + "/" + item.name(), line(item, allNamespaces, output, table));
    }
    var queue = new LinkedBlockingQueue<Rollouts.Change>();
    var closed = new java.util.concurrent.atomic.AtomicBoolean();
    boolean headerShown = !listed.isEmpty() || output != null;
    Watch watch = rollouts.watchRollouts(allNamespaces, queue::add, () -> closed.set(true));
    try {
      while (true) {
        Rollouts.Change change = queue.poll(1, TimeUnit.SECONDS);
        if (closed.getAndSet(false)) {
          watch.close();
          watch = rollouts.watchRollouts(allNamespaces, queue::add, () -> closed.set(true));
        }
        if (change == null) {
          continue;
        }
        JsonNode object = change.object();
        var item = RolloutSummary.of(object);
        String key = item.namespace() + "/" + item.name();
        String line = line(item, allNamespaces, output, table);
        if (change.deleted()) {
          last.remove(key);
        } else if (line.equals(last.get(key))) {
          continue;
        } else {
          last.put(key, line);
        }
        if (!headerShown) {
          out.println(table.header());
          headerShown = true;
        }
        out.print(line);
        out.flush();
      }
    } finally {
      watch.close();
    }
  }

  private static String line(
      RolloutSummary item, boolean allNamespaces, OutputFormat output, Table table) {
    if (output == OutputFormat.JSON) {
      return Json.write(item) + "\n";
    }
    if (output == OutputFormat.YAML) {
      return "---\n" + Json.writeYaml(item);
    }
    return table.row(item.cells(allNamespaces, Instant.now())) + "\n";
  }
}
