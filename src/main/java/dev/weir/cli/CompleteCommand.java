package dev.weir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code kubectl-weir __complete WORD...}: the completion protocol of kubectl's plugins (see {@link
 * Completion}). Hidden: shells call it, people do not.
 */
@Command(name = Completion.COMMAND, hidden = true)
final class CompleteCommand implements Callable<Integer> {

  @Parameters(arity = "0..*")
  List<String> words = new ArrayList<>();

  @Unmatched List<String> unmatched = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    out.print(Completion.complete(spec.root(), words, new ClusterLookup()).print());
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
