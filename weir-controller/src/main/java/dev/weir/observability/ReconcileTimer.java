package dev.weir.observability;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;

/**
 * Times every reconcile as the operator framework runs it ({@code
 * weir_reconcile_duration_seconds}), so the reconcilers themselves carry no timing code.
 */
public final class ReconcileTimer implements Metrics {

  private final WeirMetrics metrics;

  public ReconcileTimer(WeirMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    long start = System.nanoTime();
    boolean success = false;
    try {
      T result = execution.execute();
      success = true;
      return result;
    } finally {
      metrics.reconciled(
          execution.controllerName(), success, (System.nanoTime() - start) / 1_000_000_000.0);
    }
  }
}
