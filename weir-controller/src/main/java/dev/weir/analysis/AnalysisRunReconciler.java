package dev.weir.analysis;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.reconcile.ReconcileDeadline;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.GenericFilter;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;

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
  private OptedInSecrets secrets;

  @Inject
  public AnalysisRunReconciler(AnalysisRunDrivers drivers) {
    this.drivers = drivers;
  }

  /**
   * The Secrets runs may read. A Secret's change wakes no run: one that named it before it opted in
   * has ended in Error already, and one under way reads it at its next measurement.
   */
  @Override
  public List<EventSource<?, AnalysisRun>> prepareEventSources(
      EventSourceContext<AnalysisRun> context) {
    var informer = OptedInSecrets.informer(context, AnalysisRun.class, secret -> Set.of());
    secrets = OptedInSecrets.of(informer);
    return List.of(informer);
  }

  @Override
  public UpdateControl<AnalysisRun> reconcile(AnalysisRun run, Context<AnalysisRun> context) {
    var meta = run.getMetadata();
    try (var deadline = ReconcileDeadline.start(meta.getNamespace() + "/" + meta.getName())) {
      return advance(run, context);
    }
  }

  private UpdateControl<AnalysisRun> advance(AnalysisRun run, Context<AnalysisRun> context) {
    drivers.metrics().readAnalysisRuns(NAME, () -> context.getPrimaryCache().list());
    var advanced = drivers.forClient(context.getClient(), secrets).advance(run);
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
