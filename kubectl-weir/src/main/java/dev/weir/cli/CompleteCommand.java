package dev.weir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.cli.cluster.Cluster;
import dev.weir.cli.cluster.Kubeconfig;
import dev.weir.cli.cluster.Rollouts;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code kubectl-weir __complete WORD...}: the completion protocol of kubectl's plugins (see {@link
 * Completion}). Not a picocli command: the words are whatever the user typed so far, flags and
 * typos included, so {@link Main} hands them over before any parsing.
 */
final class CompleteCommand {

  private CompleteCommand() {}

  static int run(List<String> words, PrintWriter out) {
    var root = WeirCommand.commandLine(null).getCommandSpec();
    out.print(Completion.complete(root, words, new ClusterLookup()).print());
    out.flush();
    return ExitCode.OK;
  }

  /** Names from the cluster (and contexts from the kubeconfig) for the flags typed so far. */
  static final class ClusterLookup implements Completion.Lookup {
    @Override
    public List<String> rollouts(Map<String, String> flags) {
      var cluster = Cluster.open(flags.get("--kubeconfig"), flags.get("--context"));
      var rollouts = new Rollouts(cluster, cluster.namespace(flags.get("--namespace")));
      return rollouts.list(false).stream().map(r -> Json.text(r, "metadata", "name")).toList();
    }

    @Override
    public List<String> namespaces(Map<String, String> flags) {
      var cluster = Cluster.open(flags.get("--kubeconfig"), flags.get("--context"));
      JsonNode list = Json.parse(cluster.get("api/v1/namespaces"));
      var names = new ArrayList<String>();
      list.path("items").forEach(n -> names.add(Json.text(n, "metadata", "name")));
      return names;
    }

    @Override
    public List<String> contexts(Map<String, String> flags) {
      return Kubeconfig.contexts(flags.get("--kubeconfig"), System.getenv());
    }
  }
}
