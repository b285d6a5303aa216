package dev.weir.rollout;

import dev.weir.analysis.AnalysisRunDrivers;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.observability.EventRecorder;
import dev.weir.rollout.Action.CreateRevision;
import dev.weir.rollout.Action.DeleteRevision;
import dev.weir.rollout.Action.Pin;
import dev.weir.rollout.Action.ScaleRevision;
import dev.weir.rollout.Action.SetWeight;
import dev.weir.traffic.TrafficRouters;
import dev.weir.traffic.TrafficState;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Acts on the planner's decisions. One reconcile observes the rollout's ReplicaSets and traffic,
 * asks the {@link CanaryPlanner}, carries out the actions in the order given, observes again and
 * asks again until the plan is empty (a step whose weight is verified moves straight on to the
 * next), then writes the whole status once, only if it changed.
 *
 * <p>Status holds the progress (step, hashes, pause start), so a restarted controller resumes where
 * it was. The status write carries the resourceVersion that was read: a promote, abort or spec
 * change that arrived meanwhile makes it fail with a conflict instead of being overwritten, and the
 * next reconcile sees the request.
 */
@ControllerConfiguration(
    name = RolloutReconciler.NAME,
    generationAwareEventProcessing = false,
    fieldManager = "weir",
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class RolloutReconciler implements Reconciler<Rollout> {

  public static final String NAME = "rollout";
  private static final Logger LOG = Logger.getLogger(RolloutReconciler.class);

  /** Passes per reconcile: a canary with many instant steps finishes them in one reconcile. */
  private static final int MAX_PASSES = 12;

  private final CanaryPlanner planner = new CanaryPlanner();
  private final Clock clock;
  private final AnalysisRunDrivers drivers;
  private RolloutEventSources sources;
  private InformerEventSource<ReplicaSet, Rollout> replicaSets;

  public RolloutReconciler() {
    this(Clock.systemUTC());
  }

  public RolloutReconciler(Clock clock) {
    this(clock, AnalysisRunDrivers.fromConfiguration(clock));
  }

  public RolloutReconciler(Clock clock, AnalysisRunDrivers drivers) {
    this.clock = clock;
    this.drivers = drivers;
  }

  @Override
  public List<EventSource<?, Rollout>> prepareEventSources(EventSourceContext<Rollout> context) {
    sources = RolloutEventSources.create(context);
    replicaSets = sources.replicaSets();
    drivers.metrics().readReplicaSets(replicaSets::list);
    drivers.metrics().readAnalysisRuns(NAME, sources.analysisRuns()::list);
    return sources.all();
  }

  @Override
  public UpdateControl<Rollout> reconcile(Rollout rollout, Context<Rollout> context) {
    var client = context.getClient();
    drivers.metrics().readRollouts(() -> context.getPrimaryCache().list());
    var routers = TrafficRouters.forRollout(client, rollout);
    var writer = new ReplicaSets(client);
    var events = new EventRecorder(client);
    // A spec without a template is reported by the planner as InvalidSpec; it has no revision.
    var template = rollout.getSpec() == null ? null : rollout.getSpec().template;
    String hash = template == null ? "" : PodTemplateHash.of(template);

    Map<String, ReplicaSet> owned = new HashMap<>();
    context.getSecondaryResources(ReplicaSet.class).stream()
        .filter(rs -> rs.getMetadata().getLabels() != null)
        .filter(rs -> rs.getMetadata().getLabels().containsKey(PodTemplateHash.LABEL))
        .forEach(rs -> owned.put(rs.getMetadata().getLabels().get(PodTemplateHash.LABEL), rs));
    TrafficState traffic = routers.observe(rollout);
    var analysis = new ReleaseAnalysis(rollout, client, sources, drivers.forClient(client));
    analysis.observe(List.copyOf(context.getSecondaryResources(AnalysisRun.class)));

    RolloutStatus status = rollout.getStatus();
    Plan plan = null;
    // Events are recorded once the passes are over: an abort's weight write must not wait on them.
    var happened = new ArrayList<Map.Entry<RolloutEvent, java.time.Instant>>();
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      var observation =
          new Observation(clock.instant(), hash, revisions(owned), traffic, analysis.observation());
      plan = planner.plan(rollout.getSpec(), generation(rollout), status, observation);
      boolean touchedTraffic = false;
      for (Action action : plan.actions()) {
        if (!analysis.carryOut(action)) {
          touchedTraffic |= carryOut(rollout, action, owned, writer, routers);
        }
      }
      for (RolloutEvent event : plan.events()) {
        happened.add(Map.entry(event, observation.now()));
        count(rollout, event, plan.status());
      }
      boolean settled = plan.actions().isEmpty() && sameStatus(status, plan.status());
      status = plan.status();
      if (settled) {
        break;
      }
      if (touchedTraffic) {
        traffic = routers.observe(rollout);
      }
    }
    happened.forEach(e -> events.record(rollout, e.getKey(), e.getValue()));
    decorate(rollout, status, owned, writer);
    if (!sameStatus(rollout.getStatus(), status)) {
      writeStatus(rollout, status, context);
    }
    var control = UpdateControl.<Rollout>noUpdate();
    // Measurements come due on their own schedule, beside the pauses and delays of the plan.
    Optional<Duration> measurement =
        analysis.nextDue().map(at -> Duration.between(clock.instant(), at));
    Stream.of(plan.requeueAfter(), measurement)
        .flatMap(Optional::stream)
        .min(Duration::compareTo)
        .ifPresent(
            delay ->
                control.rescheduleAfter(
                    (delay.isNegative() ? Duration.ZERO : delay).plusMillis(50)));
    return control;
  }

  /** Promotions and aborts are counted; an abort by the reason its Stalled condition gives. */
  private void count(Rollout rollout, RolloutEvent event, RolloutStatus planned) {
    String ns = rollout.getMetadata().getNamespace();
    String name = rollout.getMetadata().getName();
    if ("Promoted".equals(event.reason())) {
      drivers.metrics().promoted(ns, name);
    } else if ("Aborted".equals(event.reason())) {
      String reason =
          planned.conditions.stream()
              .filter(c -> StatusConditions.STALLED.equals(c.getType()))
              .map(c -> c.getReason())
              .findFirst()
              .orElse("Aborted");
      drivers.metrics().aborted(ns, name, reason);
    }
  }

  /**
   * Puts activeMetadata and previewMetadata on the pods of the revisions that are active and
   * previewed by the status just planned, and takes them off the others; a no-op once applied.
   */
  private void decorate(
      Rollout rollout, RolloutStatus status, Map<String, ReplicaSet> owned, ReplicaSets writer) {
    new HashMap<>(owned)
        .forEach(
            (hash, rs) -> {
              var decoration = PodDecorations.of(rollout.getSpec(), status, hash);
              var template = rs.getSpec().getTemplate().getMetadata();
              if (decoration.isEmpty()) {
                return;
              }
              if (!decoration.appliedTo(template.getLabels(), template.getAnnotations())) {
                var before = rs;
                var after = writer.decorate(rs, decoration);
                owned.put(hash, after);
                replicaSets.handleRecentResourceUpdate(
                    ResourceID.fromResource(after), after, before);
              } else if (podsMayLag(rs)) {
                writer.decoratePods(rs, decoration);
              }
            });
  }

  /**
   * Whether a decorated ReplicaSet has pods, any of which may have been made from its template as
   * it was before the decoration (the ReplicaSet controller's cache lags the patch). Only a list of
   * them tells: a read, not a write, and only for revisions that wear a decoration.
   */
  private static boolean podsMayLag(ReplicaSet rs) {
    return rs.getStatus() != null
        && rs.getStatus().getReplicas() != null
        && rs.getStatus().getReplicas() > 0;
  }

  /** Carries out one action; true when it changed traffic (so weights and pins are read back). */
  private boolean carryOut(
      Rollout rollout,
      Action action,
      Map<String, ReplicaSet> owned,
      ReplicaSets writer,
      TrafficRouters routers) {
    String namespace = rollout.getMetadata().getNamespace();
    if (action instanceof CreateRevision create) {
      var rs = ReplicaSets.build(rollout, create.hash(), create.replicas(), create.number());
      ReplicaSet created;
      try {
        created = writer.create(rs);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // Created by a previous reconcile whose write the cache had not seen yet.
        created = writer.scale(namespace, rs.getMetadata().getName(), create.replicas(), null);
      }
      owned.put(create.hash(), created);
      replicaSets.handleRecentResourceCreate(ResourceID.fromResource(created), created);
      return false;
    }
    if (action instanceof ScaleRevision scale) {
      var before = owned.get(scale.hash());
      var after =
          writer.scale(
              namespace, before.getMetadata().getName(), scale.replicas(), scale.scaleDownAt());
      owned.put(scale.hash(), after);
      replicaSets.handleRecentResourceUpdate(ResourceID.fromResource(after), after, before);
      return false;
    }
    if (action instanceof DeleteRevision delete) {
      var rs = owned.remove(delete.hash());
      writer.delete(namespace, rs.getMetadata().getName());
      return false;
    }
    if (action instanceof Pin pin) {
      routers.pin(rollout, pin.side(), pin.hash());
      return true;
    }
    var weight = (SetWeight) action;
    routers.setWeight(rollout, weight.canaryWeight());
    return true;
  }

  /**
   * Writes the whole status through the status subresource with the resourceVersion it was computed
   * from. The actions of this reconcile have happened, so their record must not be lost: on a
   * conflict (a promote, an abort, a new spec or annotation arrived meanwhile) the status is
   * written again onto the newer object, keeping any request that arrived after this reconcile read
   * the rollout. The next reconcile then plans from both.
   */
  private static void writeStatus(
      Rollout rollout, RolloutStatus planned, Context<Rollout> context) {
    RolloutStatus read = rollout.getStatus();
    PrimaryUpdateAndCacheUtils.updateAndCacheResource(
        rollout,
        context,
        fresh -> withProgress(fresh, read, planned),
        r -> context.getClient().resource(r).updateStatus());
  }

  /** The fresh rollout carrying the planned status, plus the requests that are newer than it. */
  static Rollout withProgress(Rollout fresh, RolloutStatus read, RolloutStatus planned) {
    Rollout copy = Serialization.clone(fresh);
    RolloutStatus status = Serialization.jsonMapper().convertValue(planned, RolloutStatus.class);
    RolloutStatus now = fresh.getStatus();
    if (now != null) {
      if (!Objects.equals(now.promote, read == null ? null : read.promote)) {
        status.promote = now.promote;
      }
      if (!Objects.equals(now.abort, read == null ? null : read.abort)) {
        status.abort = now.abort;
      }
    }
    copy.setStatus(status);
    return copy;
  }

  /**
   * An API error (a missing permission above all) is shown where users look: the Ready condition
   * and message name it, and a Warning Event records it. The reconcile is retried with backoff.
   */
  @Override
  public ErrorStatusUpdateControl<Rollout> updateErrorStatus(
      Rollout rollout, Context<Rollout> context, Exception e) {
    KubernetesClientException apiError = apiError(e);
    if (apiError == null) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    String reason = apiError.getCode() == 403 ? "Forbidden" : "ApiError";
    String message =
        apiError.getStatus() != null && apiError.getStatus().getMessage() != null
            ? apiError.getStatus().getMessage()
            : apiError.getMessage();
    RolloutStatus status = CanaryPlanner.copy(rollout.getStatus());
    if (!message.equals(status.message)) {
      var now = clock.instant();
      status.message = message;
      StatusConditions.set(
          status.conditions,
          StatusConditions.READY,
          false,
          reason,
          message,
          generation(rollout),
          now);
      new EventRecorder(context.getClient())
          .record(rollout, RolloutEvent.warning(reason, message), now);
      try {
        Rollout copy = Serialization.clone(rollout);
        copy.setStatus(status);
        context.getClient().resource(copy).updateStatus();
      } catch (KubernetesClientException writeError) {
        LOG.warnf(
            "cannot report %s on %s/%s: %s",
            reason,
            rollout.getMetadata().getNamespace(),
            rollout.getMetadata().getName(),
            writeError.getMessage());
      }
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  private static KubernetesClientException apiError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() >= 400) {
        return k;
      }
    }
    return null;
  }

  private static Map<String, Revision> revisions(Map<String, ReplicaSet> owned) {
    var revisions = new HashMap<String, Revision>();
    owned.forEach((hash, rs) -> revisions.put(hash, ReplicaSets.revision(rs)));
    return revisions;
  }

  private static long generation(Rollout rollout) {
    Long generation = rollout.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  private static boolean sameStatus(RolloutStatus a, RolloutStatus b) {
    var mapper = Serialization.jsonMapper();
    return Objects.equals(mapper.valueToTree(a), mapper.valueToTree(b));
  }
}
