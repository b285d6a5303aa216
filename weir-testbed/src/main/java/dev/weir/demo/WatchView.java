package dev.weir.demo;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.cli.view.RolloutTreeText;
import dev.weir.testing.OnChange;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * The rollout as it moves: the plugin's tree, each time what a user would look at (phase, step,
 * weights, analysis) changes.
 */
final class WatchView implements AutoCloseable {

  private final SharedIndexInformer<Rollout> informer;
  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final PrintStream out;
  private final Instant started;
  private String last = "";

  WatchView(
      KubernetesClient client, String namespace, String name, PrintStream out, Instant started) {
    this.out = out;
    this.started = started;
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    informer =
        client
            .resources(Rollout.class)
            .inNamespace(namespace)
            .withName(name)
            .inform(new OnChange<>(this::show));
  }

  private synchronized void show(Rollout rollout) {
    RolloutStatus s = rollout.getStatus();
    if (s == null || s.phase == null) {
      return;
    }
    int steps = rollout.getSpec().strategy.canary.steps.size();
    var line = new StringBuilder();
    line.append(String.format("%-11s", s.phase))
        .append(
            s.currentStepIndex == null || s.currentStepIndex >= steps
                ? " no step "
                : String.format(" step %d/%d", s.currentStepIndex + 1, steps))
        .append(String.format("  weight %3s%%", s.verifiedWeight == null ? "?" : s.verifiedWeight))
        .append("  stable ")
        .append(s.stableRS)
        .append(
            s.currentPodHash != null && !s.currentPodHash.equals(s.stableRS)
                ? "  canary " + s.currentPodHash
                : "");
    if (s.stepAnalysisRun != null) {
      line.append("  analysis ").append(s.stepAnalysisRun.phase);
    }
    if (s.backgroundAnalysisRun != null
        && s.currentPodHash != null
        && !s.currentPodHash.equals(s.stableRS)) {
      line.append("  background ").append(s.backgroundAnalysisRun.phase);
    }
    if (s.message != null) {
      line.append("\n              ").append(s.message);
    }
    String shown = line.toString();
    if (!shown.equals(last)) {
      last = shown;
      // What `kubectl weir get rollout checkout --watch` shows, each time the release moves.
      String tree = RolloutTreeText.render(client, namespace, name);
      out.printf(
          "[%5.1fs] %s%n%s%n",
          Duration.between(started, Instant.now()).toMillis() / 1000.0,
          s.message == null ? "" : s.message,
          tree == null ? "" : tree.stripTrailing());
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
