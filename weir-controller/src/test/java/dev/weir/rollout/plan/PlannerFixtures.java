package dev.weir.rollout.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.v1alpha1.AbortedRevision;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisTemplateRef;
import dev.weir.api.v1alpha1.BlueGreenStatus;
import dev.weir.api.v1alpha1.BlueGreenStrategy;
import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.GitWriteBackStatus;
import dev.weir.api.v1alpha1.PauseCondition;
import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutAnalysis;
import dev.weir.api.v1alpha1.RolloutAnalysisRunStatus;
import dev.weir.api.v1alpha1.RolloutPause;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.api.v1alpha1.SetCanaryScale;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.traffic.Side;
import dev.weir.traffic.TrafficState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Inputs for planner tables, named the way a user reads a release: the example rollout and its
 * steps, revisions ({@code revision("v2").replicas(1).available(1)}), what the routers read back
 * ({@code traffic().canaryWeight(10).stableSelects("v1").canarySelects("v2")}), what the cluster
 * shows ({@code seen().declared("v2").traffic(...).revisions(...)}) and the status the planner was
 * given ({@code status().stable("v1").canary("v2").atStep(2).weight(10)}). The scene most rows
 * share has a name of its own: {@code releasingV2().atStep(2).weight(10)} seeing {@code
 * canaryV2At(10).revisions(revision("v2").replicas(1).available(1))}.
 */
final class PlannerFixtures {

  /** The time of every observation unless a row says otherwise. */
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  /** The rollout's metadata.generation in every table. */
  static final long GENERATION = 4;

  static final String V1 = "v1";
  static final String V2 = "v2";
  static final String V3 = "v3";

  /** The reason of the pause condition a pause step sets. */
  static final String PAUSE_STEP = "CanaryPauseStep";

  private static final ReleasePlanner PLANNER = new ReleasePlanner();

  private PlannerFixtures() {}

  // ---------------------------------------------------------------------------------------------
  // Specs

  /**
   * The rollout of examples/canary-istio, read as a user applies it: 5 replicas; steps 10 %, pause,
   * 30 %, pause 2m, 60 %, pause 2m.
   */
  static RolloutSpec classicSpec() {
    try (InputStream in = Files.newInputStream(Path.of("examples/canary-istio/rollout.yaml"))) {
      return Serialization.unmarshal(in, Rollout.class).getSpec();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The classic spec without traffic routing or Services (a basic canary: the pods carry the
   * weight), with its own replicas, maxSurge and maxUnavailable, and a setWeight and a pause
   * without duration for each weight.
   */
  static RolloutSpec basicSpec(int replicas, String surge, String unavailable, int... weights) {
    var spec = classicSpec();
    spec.replicas = replicas;
    spec.strategy.canary.trafficRouting = null;
    spec.strategy.canary.stableService = null;
    spec.strategy.canary.canaryService = null;
    spec.strategy.canary.maxSurge = intOrPercent(surge);
    spec.strategy.canary.maxUnavailable = intOrPercent(unavailable);
    var steps = new ArrayList<CanaryStep>();
    for (int w : weights) {
      steps.add(weightStep(w));
      steps.add(pauseStep());
    }
    spec.strategy.canary.steps = steps;
    return spec;
  }

  /**
   * The classic spec as a blue-green release: the active Service checkout-stable, the preview
   * Service checkout-canary (Side STABLE and CANARY), scaleDownDelaySeconds 30. Switched by the
   * classic VirtualService when {@code adjust} gives it any trafficRouting, by selector otherwise.
   */
  static RolloutSpec blueGreenSpec(Consumer<BlueGreenStrategy> adjust) {
    var spec = classicSpec();
    var istio = spec.strategy.canary.trafficRouting;
    spec.strategy.canary = null;
    spec.strategy.blueGreen = new BlueGreenStrategy();
    spec.strategy.blueGreen.activeService = "checkout-stable";
    spec.strategy.blueGreen.previewService = "checkout-canary";
    spec.strategy.blueGreen.scaleDownDelaySeconds = 30;
    adjust.accept(spec.strategy.blueGreen);
    if (spec.strategy.blueGreen.trafficRouting != null) {
      spec.strategy.blueGreen.trafficRouting = istio;
    }
    return spec;
  }

  /** "3" is a number of pods, "25%" a share of the replicas. */
  static IntOrString intOrPercent(String value) {
    return value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value));
  }

  /** Steps as a list the test may still change. */
  static List<CanaryStep> steps(CanaryStep... steps) {
    return new ArrayList<>(List.of(steps));
  }

  /** {@code - setWeight: N} */
  static CanaryStep weightStep(int weight) {
    var step = new CanaryStep();
    step.setWeight = weight;
    return step;
  }

  /** {@code - pause: {}}: waits for promote. */
  static CanaryStep pauseStep() {
    var step = new CanaryStep();
    step.pause = new RolloutPause();
    return step;
  }

  /** {@code - pause: {duration: 15m}} */
  static CanaryStep pauseStep(String duration) {
    var step = pauseStep();
    step.pause.duration = new IntOrString(duration);
    return step;
  }

  /** {@code - analysis: {templates: [{templateName: istio-success-rate}]}} */
  static CanaryStep analysisStep() {
    var step = new CanaryStep();
    step.analysis = new RolloutAnalysis();
    step.analysis.templates = List.of(new AnalysisTemplateRef("istio-success-rate"));
    return step;
  }

  /** The classic spec with its steps replaced: 20 %, an analysis, 50 %, then promotion. */
  static RolloutSpec withAnalysisStep() {
    var spec = classicSpec();
    spec.strategy.canary.steps = steps(weightStep(20), analysisStep(), weightStep(50));
    return spec;
  }

  /** {@code - setCanaryScale: {replicas: N}} */
  static CanaryStep scaleStep(int replicas) {
    var step = scaleStep(new SetCanaryScale());
    step.setCanaryScale.replicas = replicas;
    return step;
  }

  /** {@code - setCanaryScale: {weight: N}} */
  static CanaryStep scaleStepToWeight(int weight) {
    var step = scaleStep(new SetCanaryScale());
    step.setCanaryScale.weight = weight;
    return step;
  }

  /** {@code - setCanaryScale: {matchTrafficWeight: true}} */
  static CanaryStep scaleStepMatchingTraffic() {
    var step = scaleStep(new SetCanaryScale());
    step.setCanaryScale.matchTrafficWeight = true;
    return step;
  }

  private static CanaryStep scaleStep(SetCanaryScale scale) {
    var step = new CanaryStep();
    step.setCanaryScale = scale;
    return step;
  }

  // ---------------------------------------------------------------------------------------------
  // Planning

  /** Plans on the classic spec. */
  static Plan plan(StatusBuilder given, ObservationBuilder seen) {
    return plan(classicSpec(), given.build(), seen.build());
  }

  static Plan plan(RolloutSpec spec, StatusBuilder given, ObservationBuilder seen) {
    return plan(spec, given.build(), seen.build());
  }

  /** Plans on the classic spec. */
  static Plan plan(RolloutStatus given, Observation seen) {
    return plan(classicSpec(), given, seen);
  }

  static Plan plan(RolloutSpec spec, RolloutStatus given, Observation seen) {
    return PLANNER.plan(spec, GENERATION, given, seen);
  }

  // ---------------------------------------------------------------------------------------------
  // Reading a status

  static Condition condition(RolloutStatus status, String type) {
    return status.conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type));
  }

  /** "True" or "False". */
  static String statusOf(RolloutStatus status, String conditionType) {
    return condition(status, conditionType).getStatus();
  }

  static String reasonOf(RolloutStatus status, String conditionType) {
    return condition(status, conditionType).getReason();
  }

  /** The status as the API server would store it, to compare two statuses field by field. */
  static JsonNode json(RolloutStatus status) {
    return Serialization.jsonMapper().valueToTree(status);
  }

  // ---------------------------------------------------------------------------------------------
  // Revisions

  /**
   * The ReplicaSet of a revision, named checkout-HASH, without pods until told: {@code
   * revision("v2").replicas(2).available(0)} is a canary whose two pods are starting. Its revision
   * number is the digits of its hash (v2 is revision 2; none: 0) unless {@link #number} says
   * otherwise.
   */
  static RevisionBuilder revision(String hash) {
    return new RevisionBuilder(hash);
  }

  static final class RevisionBuilder {
    private final String hash;
    private int replicas;
    private int terminating;
    private int available;
    private long number;
    private Instant scaleDownAt;

    private RevisionBuilder(String hash) {
      this.hash = hash;
      String digits = hash.replaceAll("\\D", "");
      this.number = digits.isEmpty() ? 0 : Long.parseLong(digits);
    }

    /** Desired pods, all of them created. */
    RevisionBuilder replicas(int replicas) {
      this.replicas = replicas;
      return this;
    }

    /** Pods ready and available. */
    RevisionBuilder available(int available) {
      this.available = available;
      return this;
    }

    /** Pods beyond the desired ones that still exist, on their way out. */
    RevisionBuilder terminating(int pods) {
      this.terminating = pods;
      return this;
    }

    /** When Weir has decided to scale it to zero. */
    RevisionBuilder scaleDownAt(Instant at) {
      this.scaleDownAt = at;
      return this;
    }

    RevisionBuilder number(long number) {
      this.number = number;
      return this;
    }

    Revision build() {
      return new Revision(
          hash,
          "checkout-" + hash,
          replicas,
          replicas + terminating,
          available,
          available,
          number,
          scaleDownAt);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Traffic

  /**
   * What the routers read back. A side that is not told what it selects selects no revision yet (a
   * fresh Service without a hash in its selector).
   */
  static TrafficBuilder traffic() {
    return new TrafficBuilder();
  }

  static final class TrafficBuilder {
    private Integer canaryWeight;
    private String stable = "";
    private String canary = "";
    private final List<SpecProblem> problems = new ArrayList<>();

    private TrafficBuilder() {}

    /** The canary's share on every managed route; null: the routes disagree. */
    TrafficBuilder canaryWeight(Integer weight) {
      this.canaryWeight = weight;
      return this;
    }

    /** The revision the stable Service (and subset) selects. */
    TrafficBuilder stableSelects(String hash) {
      this.stable = hash;
      return this;
    }

    /** The revision the canary Service (and subset) selects. */
    TrafficBuilder canarySelects(String hash) {
      this.canary = hash;
      return this;
    }

    /** References in the spec the cluster lacks (a route, a VirtualService, a Service). */
    TrafficBuilder problems(List<SpecProblem> problems) {
      this.problems.addAll(problems);
      return this;
    }

    TrafficState build() {
      return new TrafficState(
          canaryWeight,
          Map.of(Side.STABLE, Set.of(stable), Side.CANARY, Set.of(canary)),
          List.copyOf(problems));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Observations

  /** What the reconciler saw, at {@link #NOW} unless told otherwise. */
  static ObservationBuilder seen() {
    return new ObservationBuilder();
  }

  /**
   * The scene of most rows: v2 declared and released over v1, whose 5 pods are available, the
   * stable side selecting v1 and the canary side v2, at this canary weight. Add v2's ReplicaSet
   * with {@code .revisions(...)}, change what differs.
   */
  static ObservationBuilder canaryV2At(int weight) {
    return seen()
        .declared(V2)
        .traffic(traffic().canaryWeight(weight).stableSelects(V1).canarySelects(V2))
        .revisions(revision(V1).replicas(5).available(5));
  }

  /** v2 declared, but all traffic back on v1 (5 pods available): weight 0, both sides on v1. */
  static ObservationBuilder trafficBackOnV1() {
    return seen()
        .declared(V2)
        .traffic(traffic().canaryWeight(0).stableSelects(V1).canarySelects(V1))
        .revisions(revision(V1).replicas(5).available(5));
  }

  /** v1 declared and stable, with its 5 pods available: weight 0, both sides on v1. */
  static ObservationBuilder steadyOnV1() {
    return trafficBackOnV1().declared(V1);
  }

  static final class ObservationBuilder {
    private Instant now = NOW;
    private String declared;
    private TrafficState traffic;
    private final List<Revision> revisions = new ArrayList<>();
    private final Map<String, AnalysisRunView> runs = new HashMap<>();
    private Workload workload;
    private final Map<String, GitWriteBackStatus> writeBacks = new HashMap<>();
    private final List<SpecProblem> gitProblems = new ArrayList<>();

    private ObservationBuilder() {}

    /** A write-back to git of an aborted revision that ended. */
    ObservationBuilder writeBackEnded(String hash, GitWriteBackStatus ended) {
      writeBacks.put(hash, ended);
      return this;
    }

    /** What the controller found wrong with spec.gitWriteBack. */
    ObservationBuilder gitProblem(SpecProblem problem) {
      gitProblems.add(problem);
      return this;
    }

    /** The Deployment of spec.workloadRef. */
    ObservationBuilder workload(Workload workload) {
      this.workload = workload;
      return this;
    }

    ObservationBuilder at(Instant now) {
      this.now = now;
      return this;
    }

    /** The revision spec.template declares: its pod-template hash. */
    ObservationBuilder declared(String hash) {
      this.declared = hash;
      return this;
    }

    ObservationBuilder traffic(TrafficBuilder traffic) {
      this.traffic = traffic.build();
      return this;
    }

    /** No router: a basic canary, whose traffic the pods carry. */
    ObservationBuilder withoutRouter() {
      this.traffic = TrafficState.none();
      return this;
    }

    /** The rollout's AnalysisRuns, in addition to those already seen. */
    ObservationBuilder runs(AnalysisRunView... runs) {
      Stream.of(runs).forEach(r -> this.runs.put(r.name(), r));
      return this;
    }

    /** ReplicaSets, in addition to those already seen. */
    ObservationBuilder revisions(RevisionBuilder... revisions) {
      Stream.of(revisions).map(RevisionBuilder::build).forEach(this.revisions::add);
      return this;
    }

    Observation build() {
      Objects.requireNonNull(declared, "an observation declares a revision");
      Objects.requireNonNull(traffic, "an observation says what the routers read");
      var byHash = new HashMap<String, Revision>();
      revisions.forEach(r -> byHash.put(r.hash(), r));
      return new Observation(
          now,
          declared,
          byHash,
          traffic,
          new Observation.AnalysisObservation("checkout", Map.copyOf(runs), List.of()),
          workload,
          new Observation.GitObservation(Map.copyOf(writeBacks), List.copyOf(gitProblems)));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Statuses

  /**
   * The status the planner is given, as it wrote it 5 seconds ago: the weight Weir asked for is the
   * weight read back unless {@link StatusBuilder#verifiedWeight} says otherwise.
   */
  static StatusBuilder status() {
    return new StatusBuilder();
  }

  /** The status of v2 being released over a stable v1. */
  static StatusBuilder releasingV2() {
    return status().stable(V1).canary(V2);
  }

  static final class StatusBuilder {
    private final RolloutStatus status = new RolloutStatus();

    private StatusBuilder() {
      status.progressedAt = NOW.minusSeconds(5).toString();
    }

    /** The stable revision (stableRS). */
    StatusBuilder stable(String hash) {
      status.stableRS = hash;
      return this;
    }

    /** The revision being released (currentPodHash); the stable one when nothing is. */
    StatusBuilder canary(String hash) {
      status.currentPodHash = hash;
      return this;
    }

    /** Nothing in flight: stable and declared are the same revision. */
    StatusBuilder steadyOn(String hash) {
      return stable(hash).canary(hash);
    }

    /** currentStepIndex: the step under way (0-based); the number of steps once they are done. */
    StatusBuilder atStep(int step) {
      status.currentStepIndex = step;
      return this;
    }

    /** The canary weight Weir asked for, and read back. */
    StatusBuilder weight(int weight) {
      status.currentWeight = weight;
      status.verifiedWeight = weight;
      return this;
    }

    /** The weight the router read back last time, when it differs from the one asked for. */
    StatusBuilder verifiedWeight(Integer weight) {
      status.verifiedWeight = weight;
      return this;
    }

    /** Paused by the current pause step since then, which was also the last progress. */
    StatusBuilder pausedSince(Instant since) {
      return pauseCondition(PAUSE_STEP, since).progressedAt(since);
    }

    /** A pause condition alone, without touching progressedAt. */
    StatusBuilder pauseCondition(String reason, Instant since) {
      status.pauseConditions.add(new PauseCondition(reason, since.toString()));
      return this;
    }

    StatusBuilder progressedAt(Instant at) {
      status.progressedAt = at.toString();
      return this;
    }

    /** {@code kubectl weir abort}, not yet carried out: no abortedAt. */
    StatusBuilder abortRequested() {
      status.abort = true;
      return this;
    }

    /** Aborted at that time. */
    StatusBuilder abortedAt(Instant at) {
      status.abort = true;
      status.abortedAt = at.toString();
      return this;
    }

    /**
     * A revision whose release failed its analysis at that time, in status.abortedRevisions (newest
     * first: call it for the oldest first).
     */
    StatusBuilder abortedBefore(String hash, Instant at) {
      var aborted = new AbortedRevision();
      aborted.podTemplateHash = hash;
      aborted.images = List.of("registry.example/checkout:" + hash);
      aborted.abortedAt = at.toString();
      aborted.reason = "AnalysisFailed";
      aborted.analysisRun = "checkout-" + hash + "-2-step-2";
      aborted.metric = "success-rate";
      aborted.value = "0.8";
      aborted.message = "rollout aborted: analysis at step 3 (" + aborted.analysisRun + ") failed";
      status.abortedRevisions.add(0, aborted);
      return this;
    }

    /** The abort flag as the user left it (null: cleared by {@code kubectl weir retry}). */
    StatusBuilder abort(Boolean abort) {
      status.abort = abort;
      return this;
    }

    /**
     * {@code kubectl weir promote} (Step) or {@code promote --full} (Full), not yet carried out.
     */
    StatusBuilder promote(PromoteRequest request) {
      status.promote = request;
      return this;
    }

    /** A blue-green release whose active Service selects that revision. */
    StatusBuilder activeSelector(String hash) {
      status.blueGreen = new BlueGreenStatus();
      status.blueGreen.activeSelector = hash;
      return this;
    }

    /** The phase the status had: what the last reconcile found. */
    StatusBuilder phase(RolloutPhase phase) {
      status.phase = phase;
      return this;
    }

    /** Waiting on the AnalysisRun of an analysis step (or a pre- or post-promotion analysis). */
    StatusBuilder waitingOn(String run) {
      status.stepAnalysisRun = new RolloutAnalysisRunStatus(run, AnalysisPhase.Pending, null);
      return this;
    }

    StatusBuilder message(String message) {
      status.message = message;
      return this;
    }

    /** The pod counts the planner itself writes, so that they alone do not count as progress. */
    StatusBuilder podsCountedFrom(ObservationBuilder seen) {
      return podsCountedFrom(seen.build());
    }

    /** The pod counts the planner itself writes, so that they alone do not count as progress. */
    StatusBuilder podsCountedFrom(Observation seen) {
      var revisions = seen.revisions().values();
      status.replicas = revisions.stream().mapToInt(Revision::currentReplicas).sum();
      status.readyReplicas = revisions.stream().mapToInt(Revision::readyReplicas).sum();
      status.availableReplicas = revisions.stream().mapToInt(Revision::availableReplicas).sum();
      return this;
    }

    RolloutStatus build() {
      return status;
    }
  }
}
