package dev.weir.testing;

import dev.weir.analysis.AnalysisRunDrivers;
import dev.weir.analysis.AnalysisRunReconciler;
import dev.weir.rollout.RolloutReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

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
    return start(client, Optional.empty());
  }

  /** Weir with the default Prometheus address of metrics that name none. */
  public static RunningWeir start(KubernetesClient client, Optional<String> prometheusAddress) {
    var operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(10)));
    var drivers = new AnalysisRunDrivers(prometheusAddress, Clock.systemUTC());
    operator.register(new RolloutReconciler(Clock.systemUTC(), drivers));
    operator.register(new AnalysisRunReconciler(drivers));
    operator.start();
    return new RunningWeir(operator);
  }

  @Override
  public void close() {
    operator.stop();
  }
}
