package dev.weir.rollout;

import dev.weir.analysis.AnalysisRunDrivers;
import dev.weir.api.PodTemplateHash;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.gitops.WriteBackQueue;
import dev.weir.notify.Notifier;
import dev.weir.observability.WeirMetrics;
import dev.weir.reconcile.ReconcileDeadline;
import dev.weir.rollout.plan.Action;
import dev.weir.rollout.plan.Observation;
import dev.weir.rollout.plan.Plan;
import dev.weir.rollout.plan.ReleasePlanner;
import dev.weir.traffic.TrafficRouters;
import dev.weir.traffic.TrafficState;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Acts on the planner's decisions. One reconcile observes the rollout's ReplicaSets, traffic and
 * analysis, asks the {@link ReleasePlanner}, has the {@link ActionDispatcher} carry out the actions
 * in the order given, observes again and asks again until the plan is empty (a step whose weight is
 * verified moves straight on to the next), decorates pods as the planner says, and writes the whole
 * status, only if it changed ({@link StatusWriter}): at the end, and before any action that moves
 * traffic, so that a controller killed in between finds what it did recorded. What happened is
 * reported after the status that records it is written.
 *
 * <p>Status holds the progress (step, hashes, pause start), so a restarted controller resumes where
 * it was.
 */
@ControllerConfiguration(
    name = RolloutReconciler.NAME,
    generationAwareEventProcessing = false,
    fieldManager = WellKnownNames.FIELD_MANAGER,
    finalizerName = WellKnownNames.FINALIZER,
    // Every reconcile asks for its next one by the rollout's own resync (Resync, the setting
    // weir.reconcile.resync); this is only the bound for one that ends otherwise.
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
// A reconcile that fails is tried again until it succeeds, never given up after a few attempts:
// giving up drops the wake-up a timed pause scheduled, and a release whose API server was away
// for longer than the attempts lasted would sit until an unrelated event or the next resync.
@GradualRetry(
    maxAttempts = RolloutReconciler.RETRY_FOREVER,
    initialInterval = 1000,
    intervalMultiplier = 2,
    maxInterval = 30_000)
public class RolloutReconciler implements Reconciler<Rollout>, Cleaner<Rollout> {

  public static final String NAME = "rollout";

  /** {@link GradualRetry#maxAttempts()} without a limit, as JOSDK's GenericRetry reads it. */
  public static final int RETRY_FOREVER = -1;

  /** Passes per reconcile: a canary with many instant steps finishes them in one reconcile. */
  private static final int MAX_PASSES = 12;

  private final ReleasePlanner planner = new ReleasePlanner();
  private final Clock clock;
  private final AnalysisRunDrivers drivers;
  private final WeirMetrics metrics;
  private final Notifier notifier;
  private final UnsnapshottedSecrets unsnapshotted;
  private final WriteBackQueue writeBacks;
  private final Resync resync;
  private RolloutEventSources sources;

  @Inject
  public RolloutReconciler(
      Clock clock,
      AnalysisRunDrivers drivers,
      Notifier notifier,
      WriteBackQueue writeBacks,
      Resync resync) {
    this.resync = resync;
    this.clock = clock;
    this.drivers = drivers;
    this.metrics = drivers.metrics();
    this.notifier = notifier;
    this.unsnapshotted = new UnsnapshottedSecrets(clock);
    this.writeBacks = writeBacks;
  }

  /** A reconciler that writes nothing back to git: no repository address is allowed. */
  /** Git write-back with its defaults, and the default resync: the mock tier and benches. */
  public RolloutReconciler(Clock clock, AnalysisRunDrivers drivers, Notifier notifier) {
    this(clock, drivers, notifier, WriteBackQueue.defaults(clock));
  }

  public RolloutReconciler(
      Clock clock, AnalysisRunDrivers drivers, Notifier notifier, WriteBackQueue writeBacks) {
    this(clock, drivers, notifier, writeBacks, Resync.DEFAULT);
  }

  @Override
  public List<EventSource<?, Rollout>> prepareEventSources(EventSourceContext<Rollout> context) {
    sources = RolloutEventSources.create(context);
    metrics.readReplicaSets(sources.replicaSets()::list);
    metrics.readAnalysisRuns(NAME, sources.analysisRuns()::list);
    notifier.readFrom(sources.notificationSources());
    return sources.all();
  }

  @Override
  public UpdateControl<Rollout> reconcile(Rollout declared, Context<Rollout> context) {
    var meta = declared.getMetadata();
    try (var deadline = ReconcileDeadline.start(meta.getNamespace() + "/" + meta.getName())) {
      return release(declared, context);
    }
  }

  private UpdateControl<Rollout> release(Rollout declared, Context<Rollout> context) {
    var client = context.getClient();
    var deployment = sources.workload(declared);
    var configCopies = new ConfigCopies(client, sources, unsnapshotted);
    // Everything below plans and acts on the Deployment's template as if it were the rollout's,
    // and on a template naming the copies of its ConfigMaps and Secrets when it snapshots them.
    Rollout rollout = configCopies.release(WorkloadTemplate.resolve(declared, deployment));
    var workload = WorkloadTemplate.observe(declared, deployment);
    metrics.readRollouts(() -> context.getPrimaryCache().list());
    var routers =
        TrafficRouters.forRollout(
            client,
            sources.trafficObjects(client),
            rollout,
            RolloutEventSources.namingTheSameTraffic(context, rollout));
    var owned = new OwnedReplicaSets(context.getSecondaryResources(ReplicaSet.class));
    var analysis =
        new ReleaseAnalysis(
            rollout, client, sources, drivers.forClient(client, sources.optedInSecrets()));
    analysis.observe(List.copyOf(context.getSecondaryResources(AnalysisRun.class)));
    var git = new GitWriteBackDispatch(rollout, writeBacks, sources.optedInSecrets(), clock);
    var gitObservation = git.observe();
    var dispatcher =
        new ActionDispatcher(
            rollout, owned, new ReplicaSets(client), routers, analysis, sources.replicaSets(), git);
    var reporter = new ReleaseReporter(metrics, notifier);
    // A spec without a template is reported by the planner as InvalidSpec; it has no revision.
    var template = rollout.getSpec() == null ? null : rollout.getSpec().template;
    String hash = template == null ? "" : PodTemplateHash.of(template);

    TrafficState traffic = routers.observe(rollout);
    RolloutStatus status = rollout.getStatus();
    // The rollout as last written: the status of this reconcile may be written before traffic
    // moves.
    Rollout recorded = declared;
    Plan plan = null;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      var observation =
          new Observation(
              clock.instant(),
              hash,
              owned.revisions(),
              traffic,
              analysis.observation(),
              workload,
              gitObservation,
              owned.baseline());
      Plan previous = plan;
      plan = planner.plan(rollout.getSpec(), generation(rollout), status, observation);
      if (previous != null
          && plan.actions().equals(previous.actions())
          && StatusWriter.same(previous.status(), plan.status())) {
        // The last pass's writes did not take (someone else holds what they changed): asking
        // again now would only repeat them. The next reconcile asks again.
        break;
      }
      analysis.planned(plan.status());
      reporter.add(plan.events(), plan.status(), observation.now());
      if (StatusWriter.recordsFirst(plan.actions())) {
        reporter.handOverNotices(rollout, client);
        recorded = StatusWriter.write(recorded, plan.status(), context);
        reporter.report(rollout, client);
      }
      boolean touchedTraffic = dispatcher.carryOut(plan.actions());
      boolean settled = plan.actions().isEmpty() && StatusWriter.same(status, plan.status());
      status = plan.status();
      if (settled) {
        break;
      }
      if (touchedTraffic) {
        traffic = routers.observe(rollout);
      }
    }
    var settledView = new Observation(clock.instant(), hash, owned.revisions(), traffic);
    dispatcher.carryOut(planner.decorations(rollout.getSpec(), status, settledView));
    // Notices go to the ledger before the status that records their events: a controller killed
    // in between sends them after its restart (the ledger drops what it already holds).
    reporter.handOverNotices(rollout, client);
    StatusWriter.write(recorded, status, context);
    // Told once what they tell is recorded: a controller killed in between loses an Event rather
    // than telling it twice when it finds the step to be done again.
    reporter.report(rollout, client);
    configCopies.prune(rollout, context.getSecondaryResources(ReplicaSet.class));
    return requeue(rollout, plan, analysis);
  }

  /**
   * A rollout being deleted. One with spec.workloadRef is held until the service is handed back to
   * its Deployment, as the planner says ({@code plan.HandBack}): the Deployment scaled up and
   * available, the weight at 0, the Services and subsets unpinned; only then does the finalizer go,
   * and with it the rollout's ReplicaSets (garbage collection). Any other is let go at once.
   */
  @Override
  public DeleteControl cleanup(Rollout declared, Context<Rollout> context) {
    unsnapshotted.forget(declared);
    writeBacks.forget(declared.getMetadata().getUid());
    if (declared.getSpec() == null || declared.getSpec().workloadRef == null) {
      return DeleteControl.defaultDelete();
    }
    var client = context.getClient();
    var deployment = sources.workload(declared);
    Rollout rollout = WorkloadTemplate.resolve(declared, deployment);
    var workload = WorkloadTemplate.observe(declared, deployment);
    var routers =
        TrafficRouters.forRollout(
            client,
            sources.trafficObjects(client),
            rollout,
            RolloutEventSources.namingTheSameTraffic(context, rollout));
    var owned = new OwnedReplicaSets(context.getSecondaryResources(ReplicaSet.class));
    // Handing back scales the Deployment and moves traffic; it starts and ends no analysis.
    var dispatcher =
        new ActionDispatcher(
            rollout, owned, new ReplicaSets(client), routers, null, sources.replicaSets(), null);
    TrafficState traffic = routers.observe(rollout);
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      var observation =
          new Observation(
              clock.instant(),
              "",
              owned.revisions(),
              traffic,
              Observation.AnalysisObservation.NONE,
              workload);
      var plan = planner.handBack(rollout.getSpec(), rollout.getStatus(), observation);
      if (plan.actions().contains(new Action.ReleaseRollout())) {
        return DeleteControl.defaultDelete();
      }
      // Traffic moved: read it back and plan again. Otherwise the Deployment's informer tells.
      if (!dispatcher.carryOut(plan.actions())) {
        return DeleteControl.noFinalizerRemoval()
            .rescheduleAfter(plan.requeueAfter().orElseThrow());
      }
      traffic = routers.observe(rollout);
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(1));
  }

  /**
   * The soonest of the plan's own wait (a pause, a delay), the next measurement due and the
   * rollout's resync.
   */
  private UpdateControl<Rollout> requeue(Rollout rollout, Plan plan, ReleaseAnalysis analysis) {
    var control = UpdateControl.<Rollout>noUpdate();
    Optional<Duration> measurement =
        analysis.nextDue().map(at -> Duration.between(clock.instant(), at));
    Stream.of(plan.requeueAfter(), measurement, Optional.of(resync.after(rollout)))
        .flatMap(Optional::stream)
        .min(Duration::compareTo)
        .ifPresent(
            delay ->
                control.rescheduleAfter(
                    (delay.isNegative() ? Duration.ZERO : delay).plusMillis(50)));
    return control;
  }

  @Override
  public ErrorStatusUpdateControl<Rollout> updateErrorStatus(
      Rollout rollout, Context<Rollout> context, Exception e) {
    return ApiErrorReport.report(rollout, context, e, clock.instant());
  }

  private static long generation(Rollout rollout) {
    Long generation = rollout.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }
}
