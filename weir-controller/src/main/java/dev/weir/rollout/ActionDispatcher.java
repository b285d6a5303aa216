package dev.weir.rollout;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.rollout.plan.Action;
import dev.weir.rollout.plan.Action.CreateRevision;
import dev.weir.rollout.plan.Action.DecoratePods;
import dev.weir.rollout.plan.Action.DeleteAnalysis;
import dev.weir.rollout.plan.Action.DeleteBaseline;
import dev.weir.rollout.plan.Action.DeleteRevision;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleBaseline;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.ScaleWorkload;
import dev.weir.rollout.plan.Action.SetNamedRoutes;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.rollout.plan.Action.StartAnalysis;
import dev.weir.rollout.plan.Action.TerminateAnalysis;
import dev.weir.rollout.plan.Action.Unpin;
import dev.weir.rollout.plan.Action.WriteBack;
import dev.weir.traffic.TrafficRouters;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;

/**
 * Carries out the planner's actions, every kind in this one place, in the order the plan gives:
 * ReplicaSets through {@link ReplicaSets}, weights and pins through the routers, AnalysisRuns
 * through {@link ReleaseAnalysis}, write-backs to git through {@link GitWriteBackDispatch}, pod
 * decorations ({@code ReleaseRollout} is the reconciler's own: it lets a deletion go on). What it
 * writes goes into the reconcile's view of the ReplicaSets and into the informer cache, so that the
 * next pass, and the next reconcile, plan from it.
 */
final class ActionDispatcher {

  private final Rollout rollout;
  private final OwnedReplicaSets owned;
  private final ReplicaSets writer;
  private final TrafficRouters routers;
  private final ReleaseAnalysis analysis;
  private final InformerEventSource<ReplicaSet, Rollout> cache;
  private final GitWriteBackDispatch git;

  ActionDispatcher(
      Rollout rollout,
      OwnedReplicaSets owned,
      ReplicaSets writer,
      TrafficRouters routers,
      ReleaseAnalysis analysis,
      InformerEventSource<ReplicaSet, Rollout> cache,
      GitWriteBackDispatch git) {
    this.rollout = rollout;
    this.owned = owned;
    this.writer = writer;
    this.routers = routers;
    this.analysis = analysis;
    this.cache = cache;
    this.git = git;
  }

  /**
   * Carries out the actions in order.
   *
   * @return whether any changed traffic, so that weights and pins are read back
   */
  boolean carryOut(List<Action> actions) {
    boolean touchedTraffic = false;
    for (Action action : actions) {
      touchedTraffic |= carryOut(action);
    }
    return touchedTraffic;
  }

  private boolean carryOut(Action action) {
    if (action instanceof SetWeight weight) {
      routers.setWeights(rollout, weight.canaryWeight(), weight.baselineWeight());
      return true;
    }
    if (action instanceof SetNamedRoutes named) {
      routers.setNamedRoutes(rollout, named.routes());
      return true;
    }
    if (action instanceof Pin pin) {
      routers.pin(rollout, pin.side(), pin.hash());
      return true;
    }
    if (action instanceof Unpin unpin) {
      routers.unpin(rollout, unpin.side());
      return true;
    }
    if (action instanceof CreateRevision create) {
      create(create);
    } else if (action instanceof ScaleRevision scale) {
      var before = owned.get(scale.hash());
      var after =
          writer.scale(
              namespace(), before.getMetadata().getName(), scale.replicas(), scale.scaleDownAt());
      updated(scale.hash(), before, after);
    } else if (action instanceof ScaleBaseline baseline) {
      scaleBaseline(baseline);
    } else if (action instanceof DeleteBaseline) {
      var baseline = owned.baselineSet();
      if (baseline != null) {
        writer.delete(namespace(), baseline.getMetadata().getName());
        owned.baseline(null);
      }
    } else if (action instanceof ScaleWorkload workload) {
      writer.scaleDeployment(namespace(), workload.name(), workload.replicas());
    } else if (action instanceof DeleteRevision delete) {
      writer.delete(namespace(), owned.remove(delete.hash()).getMetadata().getName());
    } else if (action instanceof DecoratePods decorate) {
      var rs = owned.get(decorate.hash());
      if (decorate.template()) {
        updated(decorate.hash(), rs, writer.decorate(rs, decorate.decoration()));
      } else {
        writer.decoratePods(rs, decorate.decoration());
      }
    } else if (action instanceof StartAnalysis start) {
      analysis.start(start);
    } else if (action instanceof TerminateAnalysis terminate) {
      analysis.terminate(terminate);
    } else if (action instanceof DeleteAnalysis delete) {
      analysis.delete(delete);
    } else if (action instanceof WriteBack writeBack) {
      git.write(writeBack, owned::get);
    }
    return false;
  }

  private void create(CreateRevision create) {
    var created =
        created(ReplicaSets.build(rollout, create.hash(), create.replicas(), create.number()));
    owned.put(create.hash(), created);
  }

  /** Creates the ReplicaSet, or scales the one of its name, and tells the informer's cache. */
  private ReplicaSet created(ReplicaSet rs) {
    ReplicaSet created;
    try {
      created = writer.create(rs);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // Created by a previous reconcile whose write the cache had not seen yet.
      created =
          writer.scale(namespace(), rs.getMetadata().getName(), rs.getSpec().getReplicas(), null);
    }
    cache.handleRecentResourceCreate(ResourceID.fromResource(created), created);
    return created;
  }

  private void scaleBaseline(ScaleBaseline scale) {
    var before = owned.baselineSet();
    if (before != null) {
      var after = writer.scale(namespace(), before.getMetadata().getName(), scale.replicas(), null);
      owned.baseline(after);
      cache.handleRecentResourceUpdate(ResourceID.fromResource(after), after, before);
      return;
    }
    owned.baseline(
        created(
            ReplicaSets.buildBaseline(
                rollout, owned.get(scale.stableHash()), scale.canaryHash(), scale.replicas())));
  }

  private void updated(String hash, ReplicaSet before, ReplicaSet after) {
    owned.put(hash, after);
    cache.handleRecentResourceUpdate(ResourceID.fromResource(after), after, before);
  }

  private String namespace() {
    return rollout.getMetadata().getNamespace();
  }
}
