package dev.weir.analysis;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisRun;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.filter.GenericFilter;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * Measures the AnalysisRuns nobody else drives: those a user created by hand. A run owned by a
 * Rollout is measured in that rollout's reconcile, so that its verdict is acted on at once; this
 * reconciler leaves it alone.
 */
@ControllerConfiguration(
    name = AnalysisRunReconciler.NAME,
    informer = @Informer(genericFilter = AnalysisRunReconciler.Standalone.class))
public class AnalysisRunReconciler implements Reconciler<AnalysisRun> {

  public static final String NAME = "analysisrun";

  private final AnalysisRunDrivers drivers;

  @Inject
  public AnalysisRunReconciler(AnalysisRunDrivers drivers) {
    this.drivers = drivers;
  }

  @Override
  public UpdateControl<AnalysisRun> reconcile(AnalysisRun run, Context<AnalysisRun> context) {
    drivers.metrics().readAnalysisRuns(NAME, () -> context.getPrimaryCache().list());
    var advanced = drivers.forClient(context.getClient()).advance(run);
    var control = UpdateControl.<AnalysisRun>noUpdate();
    advanced
        .nextDue()
        .ifPresent(
            at -> {
              Duration wait = Duration.between(drivers.clock().instant(), at);
              control.rescheduleAfter(wait.isNegative() ? Duration.ZERO : wait.plusMillis(20));
            });
    return control;
  }

  /** Runs that no Rollout owns. */
  public static final class Standalone implements GenericFilter<AnalysisRun> {
    @Override
    public boolean accept(AnalysisRun run) {
      var owners = run.getMetadata().getOwnerReferences();
      return owners == null
          || owners.stream()
              .noneMatch(
                  o ->
                      "Rollout".equals(o.getKind())
                          && o.getApiVersion().startsWith(WellKnownNames.GROUP + "/"));
    }
  }
}
