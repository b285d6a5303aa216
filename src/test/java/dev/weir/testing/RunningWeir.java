package dev.weir.testing;

import dev.weir.rollout.RolloutReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;

/**
 * Weir's controller running in the test's JVM against a test API server: started, stopped and
 * started again as a scenario needs (a restart keeps nothing but what is in the cluster).
 */
public final class RunningWeir implements AutoCloseable {

  private final Operator operator;

  private RunningWeir(Operator operator) {
    this.operator = operator;
  }

  public static RunningWeir start(KubernetesClient client) {
    var operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(10)));
    operator.register(new RolloutReconciler());
    operator.start();
    return new RunningWeir(operator);
  }

  @Override
  public void close() {
    operator.stop();
  }
}
