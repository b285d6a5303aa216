package dev.weir.cli.command;

import dev.weir.cli.cluster.Cluster;
import dev.weir.cli.cluster.Rollouts;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * kubectl's flags for where to act: {@code -n}, {@code --context}, {@code --kubeconfig}. Accepted
 * before or after the verb ({@code kubectl weir -n shop promote checkout} or {@code kubectl weir
 * promote checkout -n shop}): a command without a flag takes the one given to its parents.
 */
public final class ClusterOptions {

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      description = "Namespace of the rollout. Default: the context's namespace, else default.")
  String namespace;

  @Option(
      names = "--context",
      paramLabel = "CONTEXT",
      description = "Kubeconfig context to use. Default: the current-context.")
  String context;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "Kubeconfig file to use. Default: $KUBECONFIG, else ~/.kube/config.")
  String kubeconfig;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  /** The connection for the flags in effect. */
  Cluster cluster() {
    return Cluster.open(effective("kubeconfig"), effective("context"));
  }

  /** The rollouts of the namespace in effect. */
  Rollouts rollouts() {
    var cluster = cluster();
    return new Rollouts(cluster, cluster.namespace(effective("namespace")));
  }

  /** This command's flag, else the nearest parent's. */
  String effective(String flag) {
    for (CommandSpec spec = mixee; spec != null; spec = spec.parent()) {
      Object mixin =
          spec.mixins().containsKey("cluster") ? spec.mixins().get("cluster").userObject() : null;
      if (mixin instanceof ClusterOptions options) {
        String value = options.value(flag);
        if (value != null) {
          return value;
        }
      }
    }
    return null;
  }

  private String value(String flag) {
    return switch (flag) {
      case "namespace" -> namespace;
      case "context" -> context;
      default -> kubeconfig;
    };
  }
}
