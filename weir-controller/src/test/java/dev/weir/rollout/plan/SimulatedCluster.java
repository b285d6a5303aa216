package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.rollout.plan.Action.CreateRevision;
import dev.weir.rollout.plan.Action.DeleteAnalysis;
import dev.weir.rollout.plan.Action.DeleteBaseline;
import dev.weir.rollout.plan.Action.DeleteRevision;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleBaseline;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetNamedRoutes;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.rollout.plan.Action.StartAnalysis;
import dev.weir.rollout.plan.Action.TerminateAnalysis;
import dev.weir.traffic.NamedRoute;
import dev.weir.traffic.Side;
import dev.weir.traffic.TrafficState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A cluster in miniature: ReplicaSets, a weight and two pinned sides that the planner's actions
 * change, and a kubelet that makes pods available before the next look (or never). It plans pass
 * after pass, as the reconciler does, until nothing changes (or a pass would only repeat the writes
 * of the one before, which someone else undid: {@link #afterEachPass}), and records as a violation
 * any weight written for a canary without the pods to carry it and any canary pods taken away while
 * their traffic still flows.
 */
final class SimulatedCluster {

  /** An action and the time it was carried out. */
  record Logged(Instant at, Action action) {}

  final RolloutSpec spec;
  final boolean routed;
  Instant now = NOW;
  String template;
  RolloutStatus status;
  Integer weight;

  /** The baseline's weight on the routes (with baselineService). */
  int baselineWeight;

  /** The baseline's ReplicaSet, null when none runs. */
  Revision baseline;

  /** The routes Weir named, as the VirtualService holds them. */
  List<NamedRoute> namedRoutes = List.of();

  boolean podsStart = true;
  final Map<String, Revision> revisions = new HashMap<>();
  final Map<Side, Set<String>> pins = new EnumMap<>(Side.class);
  final List<Logged> log = new ArrayList<>();
  final List<RolloutEvent> events = new ArrayList<>();
  final List<String> violations = new ArrayList<>();

  /** The rollout's AnalysisRuns by name; a test decides their verdicts. */
  final Map<String, AnalysisRunView> runs = new HashMap<>();

  List<SpecProblem> analysisProblems = List.of();
  Consumer<SimulatedCluster> afterEachPass = c -> {};
  Plan last;

  SimulatedCluster(RolloutSpec spec, String template) {
    this.spec = spec;
    this.template = template;
    this.routed =
        spec.strategy.blueGreen != null
            ? spec.strategy.blueGreen.trafficRouting != null
            : spec.strategy.canary.trafficRouting != null;
    if (routed || spec.strategy.blueGreen != null) {
      // Fresh Services without a hash in their selector, a VirtualService all on stable.
      weight = routed ? 0 : null;
      pins.put(Side.STABLE, Set.of(""));
      pins.put(Side.CANARY, Set.of(""));
    }
  }

  /** A cluster where the rollout has settled on its first revision. */
  static SimulatedCluster stableOn(RolloutSpec spec, String revision) {
    return new SimulatedCluster(spec, revision).reconcile();
  }

  /**
   * The classic canary with v1 stable and v2 released up to 30 % (step 3, paused for 2m), its
   * events and action log cleared.
   */
  static SimulatedCluster v2At30Percent() {
    var cluster = stableOn(classicSpec(), V1).declare(V2).reconcile().promote().reconcile();
    assertThat(cluster.weight).isEqualTo(30);
    cluster.events.clear();
    cluster.log.clear();
    return cluster;
  }

  /** A new commit applied: spec.template now declares this revision. */
  SimulatedCluster declare(String revision) {
    template = revision;
    return this;
  }

  /** {@code kubectl weir promote}. */
  SimulatedCluster promote() {
    status.promote = PromoteRequest.Step;
    return this;
  }

  /** {@code kubectl weir promote --full}. */
  SimulatedCluster promoteFull() {
    status.promote = PromoteRequest.Full;
    return this;
  }

  /** {@code kubectl weir abort}. */
  SimulatedCluster abort() {
    status.abort = true;
    return this;
  }

  /** {@code kubectl weir retry}: the abort flag cleared. */
  SimulatedCluster retry() {
    status.abort = null;
    return this;
  }

  /** From now on the kubelet starts no pod. */
  SimulatedCluster holdPods() {
    podsStart = false;
    return this;
  }

  SimulatedCluster reconcile() {
    var planner = new ReleasePlanner();
    Plan previous = null;
    for (int pass = 0; pass < 200; pass++) {
      var observed =
          new Observation(
              now,
              template,
              Map.copyOf(revisions),
              new TrafficState(weight, Map.copyOf(pins), List.of(), baselineWeight, namedRoutes),
              new Observation.AnalysisObservation("checkout", Map.copyOf(runs), analysisProblems),
              null,
              Observation.GitObservation.NONE,
              baseline);
      last = planner.plan(spec, 1, status, observed);
      if (previous != null
          && last.actions().equals(previous.actions())
          && json(last.status()).equals(json(status))) {
        // As the reconciler does: the last pass's writes did not take, the next reconcile retries.
        return this;
      }
      previous = last;
      last.actions().forEach(this::apply);
      events.addAll(last.events());
      afterEachPass.accept(this);
      kubelet();
      boolean settled = last.actions().isEmpty() && json(last.status()).equals(json(status));
      status = last.status();
      if (settled) {
        return this;
      }
    }
    throw new AssertionError("not settled after 200 passes: " + log);
  }

  void advance(Duration duration) {
    now = now.plus(duration);
  }

  /** The run of a site (step-2, background) of the current release reaches a verdict. */
  SimulatedCluster verdict(String site, AnalysisPhase phase, String message) {
    return verdict(site, phase, message, null, null);
  }

  /** A verdict decided by a metric, whose last measurement was {@code value}. */
  SimulatedCluster verdict(
      String site, AnalysisPhase phase, String message, String metric, String value) {
    var run =
        runs.values().stream()
            .filter(r -> r.name().endsWith("-" + site) && !r.completed())
            .findFirst()
            .orElseThrow(() -> new AssertionError("no run under way at " + site + ": " + runs));
    runs.put(
        run.name(),
        new AnalysisRunView(
            run.name(),
            run.hash(),
            phase,
            message,
            false,
            run.created(),
            now,
            null,
            metric,
            value));
    return this;
  }

  int replicas(String hash) {
    return Optional.ofNullable(revisions.get(hash)).map(Revision::replicas).orElse(0);
  }

  List<Action> actions() {
    return log.stream().map(Logged::action).toList();
  }

  /** Where the first of these actions that was planned stands in the log; one must have been. */
  int indexOf(Action... any) {
    var actions = actions();
    int i = Stream.of(any).mapToInt(actions::indexOf).filter(at -> at >= 0).findFirst().orElse(-1);
    assertThat(i).as("one of %s was planned: %s", List.of(any), actions).isNotNegative();
    return i;
  }

  private void apply(Action action) {
    log.add(new Logged(now, action));
    if (action instanceof CreateRevision c) {
      revisions.put(
          c.hash(),
          new Revision(
              c.hash(),
              "checkout-" + c.hash(),
              c.replicas(),
              c.replicas(),
              0,
              0,
              c.number(),
              null));
    } else if (action instanceof ScaleRevision s) {
      var r = revisions.get(s.hash());
      assertThat(r).as("scaled revision %s exists", s.hash()).isNotNull();
      int carrying = weight == null ? 0 : ReplicaArithmetic.canaryReplicas(replicas(), weight);
      if (s.hash().equals(canaryHash())
          && !s.hash().equals(stableHash())
          && s.replicas() < r.replicas()
          && !namedRoutes.isEmpty()) {
        violations.add(
            "canary "
                + s.hash()
                + " shrunk to "
                + s.replicas()
                + " pods while named routes lead to it: "
                + namedRoutes);
      }
      if (routed
          && s.hash().equals(canaryHash())
          && !s.hash().equals(stableHash())
          && s.replicas() < Math.min(r.replicas(), carrying)) {
        violations.add(
            "canary " + s.hash() + " shrunk to " + s.replicas() + " pods at weight " + weight);
      }
      revisions.put(
          s.hash(),
          new Revision(
              r.hash(),
              r.name(),
              s.replicas(),
              s.replicas(),
              Math.min(r.readyReplicas(), s.replicas()),
              Math.min(r.availableReplicas(), s.replicas()),
              r.number(),
              s.scaleDownAt()));
    } else if (action instanceof StartAnalysis a) {
      runs.putIfAbsent(
          a.name(),
          new AnalysisRunView(a.name(), a.canaryHash(), AnalysisPhase.Pending, null, false, now));
    } else if (action instanceof TerminateAnalysis t) {
      var run = runs.get(t.name());
      runs.put(
          t.name(),
          new AnalysisRunView(
              t.name(),
              run.hash(),
              run.completed() ? run.phase() : AnalysisPhase.Successful,
              "terminated: " + t.reason(),
              true,
              run.created()));
    } else if (action instanceof DeleteAnalysis d) {
      runs.remove(d.name());
    } else if (action instanceof ScaleBaseline b) {
      assertThat(b.stableHash()).as("the baseline's template is stable's").isEqualTo(stableHash());
      baseline =
          new Revision(
              b.stableHash(),
              "checkout-baseline-" + b.stableHash(),
              b.replicas(),
              b.replicas(),
              baseline == null ? 0 : Math.min(baseline.readyReplicas(), b.replicas()),
              baseline == null ? 0 : Math.min(baseline.availableReplicas(), b.replicas()),
              0,
              null,
              Map.of(WellKnownNames.BASELINE_LABEL, "true"),
              Map.of(WellKnownNames.BASELINE_FOR_ANNOTATION, b.canaryHash()));
    } else if (action instanceof DeleteBaseline) {
      if (baselineWeight > 0) {
        violations.add("baseline deleted while it carries " + baselineWeight + "%");
      }
      baseline = null;
    } else if (action instanceof DeleteRevision d) {
      revisions.remove(d.hash());
    } else if (action instanceof SetNamedRoutes n) {
      String canary = canaryHash();
      int available =
          Optional.ofNullable(revisions.get(canary)).map(Revision::availableReplicas).orElse(0);
      if (!n.routes().isEmpty() && !canary.equals(stableHash()) && available == 0) {
        violations.add("named routes " + n.routes() + " written for " + canary + " without pods");
      }
      namedRoutes = n.routes();
    } else if (action instanceof Pin p) {
      pins.put(p.side(), Set.of(p.hash()));
    } else if (action instanceof SetWeight w) {
      String canary = canaryHash();
      int needed = ReplicaArithmetic.canaryReplicas(replicas(), w.canaryWeight());
      int available =
          Optional.ofNullable(revisions.get(canary)).map(Revision::availableReplicas).orElse(0);
      if (w.canaryWeight() > 0 && !canary.equals(stableHash()) && available < needed) {
        violations.add(
            w.canaryWeight() + "% written for " + canary + " with " + available + " pods");
      }
      int baselineAvailable = baseline == null ? 0 : baseline.availableReplicas();
      if (w.baselineWeight() > 0 && baselineAvailable < needed) {
        violations.add(
            w.baselineWeight() + "% written for the baseline with " + baselineAvailable + " pods");
      }
      weight = w.canaryWeight();
      baselineWeight = w.baselineWeight();
    }
  }

  private void kubelet() {
    if (!podsStart) {
      return;
    }
    if (baseline != null) {
      var b = baseline;
      baseline =
          new Revision(
              b.hash(),
              b.name(),
              b.replicas(),
              b.replicas(),
              b.replicas(),
              b.replicas(),
              b.number(),
              null,
              b.templateLabels(),
              b.templateAnnotations());
    }
    revisions.replaceAll(
        (hash, r) ->
            new Revision(
                hash,
                r.name(),
                r.replicas(),
                r.replicas(),
                r.replicas(),
                r.replicas(),
                r.number(),
                r.scaleDownAt()));
  }

  private int replicas() {
    return spec.replicas == null ? 1 : spec.replicas;
  }

  private String canaryHash() {
    return pins.getOrDefault(Side.CANARY, Set.of("")).iterator().next();
  }

  private String stableHash() {
    return pins.getOrDefault(Side.STABLE, Set.of("")).iterator().next();
  }
}
