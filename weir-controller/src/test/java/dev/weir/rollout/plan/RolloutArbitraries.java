package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.AbortedRevision;
import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisTemplateRef;
import dev.weir.api.v1alpha1.ArgumentValueFrom;
import dev.weir.api.v1alpha1.BackgroundAnalysis;
import dev.weir.api.v1alpha1.BlueGreenStatus;
import dev.weir.api.v1alpha1.BlueGreenStrategy;
import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.CanaryStrategy;
import dev.weir.api.v1alpha1.IstioDestinationRule;
import dev.weir.api.v1alpha1.IstioTrafficRouting;
import dev.weir.api.v1alpha1.IstioVirtualService;
import dev.weir.api.v1alpha1.PauseCondition;
import dev.weir.api.v1alpha1.PodMetadata;
import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.api.v1alpha1.RolloutAnalysis;
import dev.weir.api.v1alpha1.RolloutAnalysisRunStatus;
import dev.weir.api.v1alpha1.RolloutPause;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.api.v1alpha1.RolloutStrategy;
import dev.weir.api.v1alpha1.SetCanaryScale;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.traffic.Side;
import dev.weir.traffic.TrafficState;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of what the planner is given, valid and not: Rollout specs (canary and blue-green:
 * steps with weights in and out of range, durations that parse and do not, selectors, Services,
 * routes, subsets), statuses (consistent with the spec and the cluster, or hand-edited into
 * anything), and observations (revisions, weights, pins, AnalysisRuns). The revisions are three
 * hashes, v1 to v3, so that statuses and observations meet often.
 */
final class RolloutArbitraries {

  static final List<String> HASHES = List.of("v1", "v2", "v3");
  static final Instant NOW = PlannerFixtures.NOW;

  /**
   * What one planning pass is given; shown as the YAML a user would read, when a property fails.
   */
  record Scene(RolloutSpec spec, RolloutStatus status, Observation observed) {
    @Override
    public String toString() {
      return "\nspec:\n"
          + Serialization.asYaml(spec)
          + "status:\n"
          + Serialization.asYaml(status)
          + "observed: "
          + observed;
    }
  }

  private RolloutArbitraries() {}

  // ---------------------------------------------------------------------------------------------
  // Specs

  /**
   * Specs of every kind; with {@code faults}, also ones the validator refuses (a weight of 120, a
   * duration of "2 minutes", a selector that does not select the template, two equal Services).
   */
  static Arbitrary<RolloutSpec> specs(boolean faults) {
    int fault = faults ? 1 : 0;
    return Builders.withBuilder(RolloutSpec::new)
        .use(
            Arbitraries.frequencyOf(
                    Tuple.of(8, Arbitraries.integers().between(0, 10)),
                    Tuple.of(fault, Arbitraries.integers().between(-3, -1)),
                    Tuple.of(1, Arbitraries.of(Integer.MAX_VALUE, 1_000_000)))
                .injectNull(0.1))
        .inSetter((s, v) -> s.replicas = v)
        .use(Arbitraries.integers().between(-fault, 12).injectNull(0.4))
        .inSetter((s, v) -> s.revisionHistoryLimit = v)
        .use(Arbitraries.integers().between(-fault, 30).injectNull(0.7))
        .inSetter((s, v) -> s.minReadySeconds = v)
        .use(
            Arbitraries.frequencyOf(
                    Tuple.of(9, Arbitraries.integers().between(1, 900)),
                    Tuple.of(fault, Arbitraries.integers().between(-5, 0)))
                .injectNull(0.4))
        .inSetter((s, v) -> s.progressDeadlineSeconds = v)
        .use(Arbitraries.of(true, false).injectNull(0.4))
        .inSetter((s, v) -> s.progressDeadlineAbort = v)
        .use(Arbitraries.of(true, false).injectNull(0.6))
        .inSetter((s, v) -> s.paused = v)
        .use(selectorsAndTemplates(fault))
        .inSetter(
            (s, v) -> {
              s.selector = v.get1();
              s.template = v.get2();
            })
        .use(strategies(fault))
        .inSetter((s, v) -> s.strategy = v)
        .build();
  }

  /** A selector and the template it should select: mostly agreeing, sometimes not, or absent. */
  private static Arbitrary<Tuple.Tuple2<LabelSelector, PodTemplateSpec>> selectorsAndTemplates(
      int fault) {
    var app = Map.of("app", "checkout");
    return Arbitraries.frequencyOf(
        Tuple.of(17, Arbitraries.create(() -> Tuple.of(selector(app), template(app)))),
        Tuple.of(
            fault,
            Arbitraries.create(() -> Tuple.of(selector(Map.of("app", "other")), template(app)))),
        Tuple.of(fault, Arbitraries.create(() -> Tuple.of(selector(app), (PodTemplateSpec) null))),
        Tuple.of(fault, Arbitraries.create(() -> Tuple.of(new LabelSelector(), template(app)))),
        Tuple.of(
            fault,
            Arbitraries.create(
                () ->
                    Tuple.of(
                        new LabelSelectorBuilder()
                            .withMatchExpressions(
                                new LabelSelectorRequirement("app", "In", List.of("checkout")))
                            .build(),
                        template(app)))));
  }

  private static LabelSelector selector(Map<String, String> labels) {
    return new LabelSelectorBuilder().withMatchLabels(labels).build();
  }

  private static PodTemplateSpec template(Map<String, String> labels) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/checkout:2.4.1")
        .endContainer()
        .endSpec()
        .build();
  }

  private static Arbitrary<RolloutStrategy> strategies(int fault) {
    return Arbitraries.frequencyOf(
            Tuple.of(14, canaries(fault).map(c -> strategy(c, null))),
            Tuple.of(5, blueGreens(fault).map(b -> strategy(null, b))),
            Tuple.of(
                fault,
                Combinators.combine(canaries(fault), blueGreens(fault))
                    .as(RolloutArbitraries::strategy)),
            Tuple.of(fault, Arbitraries.create(RolloutStrategy::new)))
        .injectNull(0.02 * fault);
  }

  private static RolloutStrategy strategy(CanaryStrategy canary, BlueGreenStrategy blueGreen) {
    var strategy = new RolloutStrategy();
    strategy.canary = canary;
    strategy.blueGreen = blueGreen;
    return strategy;
  }

  static Arbitrary<CanaryStrategy> canaries(int fault) {
    return Builders.withBuilder(CanaryStrategy::new)
        .use(steps(fault).list().ofMaxSize(8).injectNull(0.05))
        .inSetter((c, v) -> c.steps = v == null ? null : new ArrayList<>(v))
        .use(servicePairs("checkout-stable", "checkout-canary", fault))
        .inSetter(
            (c, v) -> {
              c.stableService = v.get1();
              c.canaryService = v.get2();
            })
        .use(routings(true, fault))
        .inSetter((c, v) -> c.trafficRouting = v)
        .use(intOrPercents(fault))
        .inSetter((c, v) -> c.maxSurge = v)
        .use(intOrPercents(fault))
        .inSetter((c, v) -> c.maxUnavailable = v)
        .use(delays(fault))
        .inSetter((c, v) -> c.scaleDownDelaySeconds = v)
        .use(delays(fault))
        .inSetter((c, v) -> c.abortScaleDownDelaySeconds = v)
        .use(backgroundAnalyses(fault))
        .inSetter((c, v) -> c.analysis = v)
        .use(Arbitraries.of(true, false).injectNull(0.5))
        .inSetter((c, v) -> c.dynamicStableScale = v)
        .build();
  }

  static Arbitrary<BlueGreenStrategy> blueGreens(int fault) {
    return Builders.withBuilder(BlueGreenStrategy::new)
        .use(servicePairs("checkout-active", "checkout-preview", fault))
        .inSetter(
            (b, v) -> {
              b.activeService = v.get1();
              b.previewService = v.get2();
            })
        .use(Arbitraries.integers().between(1 - fault * 2, 12).injectNull(faults(fault, 0.5, 0.8)))
        .inSetter((b, v) -> b.previewReplicaCount = v)
        .use(Arbitraries.of(true, false).injectNull(0.5))
        .inSetter((b, v) -> b.autoPromotionEnabled = v)
        .use(Arbitraries.integers().between(-5 * fault, 300).injectNull(0.7))
        .inSetter((b, v) -> b.autoPromotionSeconds = v)
        .use(delays(fault))
        .inSetter((b, v) -> b.scaleDownDelaySeconds = v)
        .use(Arbitraries.integers().between(-fault, 3).injectNull(0.6))
        .inSetter((b, v) -> b.scaleDownDelayRevisionLimit = v)
        .use(delays(fault))
        .inSetter((b, v) -> b.abortScaleDownDelaySeconds = v)
        .use(analyses(fault).injectNull(0.7))
        .inSetter((b, v) -> b.prePromotionAnalysis = v)
        .use(analyses(fault).injectNull(0.7))
        .inSetter((b, v) -> b.postPromotionAnalysis = v)
        .use(podMetadata("active", fault))
        .inSetter((b, v) -> b.activeMetadata = v)
        .use(podMetadata("preview", fault))
        .inSetter((b, v) -> b.previewMetadata = v)
        .use(routings(false, fault))
        .inSetter((b, v) -> b.trafficRouting = v)
        .build();
  }

  /** Two Service names: as the examples name them mostly, missing or the same sometimes. */
  private static Arbitrary<Tuple.Tuple2<String, String>> servicePairs(
      String first, String second, int fault) {
    return Arbitraries.frequencyOf(
        Tuple.of(16, Arbitraries.just(Tuple.of(first, second))),
        Tuple.of(fault, Arbitraries.just(Tuple.of((String) null, second))),
        Tuple.of(fault, Arbitraries.just(Tuple.of(first, (String) null))),
        Tuple.of(fault, Arbitraries.just(Tuple.of(first, first))),
        Tuple.of(fault, Arbitraries.just(Tuple.of(" ", second))));
  }

  static Arbitrary<CanaryStep> steps(int fault) {
    Arbitrary<Integer> weights =
        Arbitraries.frequencyOf(
            Tuple.of(9, Arbitraries.integers().between(0, 100)),
            Tuple.of(fault, Arbitraries.integers().between(-20, 140)));
    return Arbitraries.frequencyOf(
            Tuple.of(7, weights.map(w -> step(s -> s.setWeight = w))),
            Tuple.of(3, Arbitraries.just(0).map(x -> step(s -> s.pause = new RolloutPause()))),
            Tuple.of(
                3,
                durations(fault)
                    .map(
                        d ->
                            step(
                                s -> {
                                  s.pause = new RolloutPause();
                                  s.pause.duration = d;
                                }))),
            Tuple.of(2, canaryScales(fault).map(c -> step(s -> s.setCanaryScale = c))),
            Tuple.of(2, analyses(fault).map(a -> step(s -> s.analysis = a))),
            Tuple.of(fault, Arbitraries.just(0).map(x -> new CanaryStep())),
            Tuple.of(
                fault,
                weights.map(
                    w ->
                        step(
                            s -> {
                              s.setWeight = w;
                              s.pause = new RolloutPause();
                            }))))
        .injectNull(0.01 * fault);
  }

  private static CanaryStep step(java.util.function.Consumer<CanaryStep> fill) {
    var step = new CanaryStep();
    fill.accept(step);
    return step;
  }

  /** Durations as users write them, and as they should not. */
  static Arbitrary<IntOrString> durations(int fault) {
    return Arbitraries.frequencyOf(
        Tuple.of(
            8,
            Arbitraries.of("1s", "30s", "2m", "1h30m", "10", "500ms", "15m").map(IntOrString::new)),
        Tuple.of(2, Arbitraries.integers().between(0, 7200).map(IntOrString::new)),
        Tuple.of(
            2 * fault,
            Arbitraries.of("2 minutes", "-5s", "9000h", "", "1y", "99999999999999999999h")
                .map(IntOrString::new)),
        Tuple.of(fault, Arbitraries.integers().between(-100, -1).map(IntOrString::new)));
  }

  private static Arbitrary<SetCanaryScale> canaryScales(int fault) {
    Arbitrary<SetCanaryScale> valid =
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.integers().between(0, 100).map(w -> scale(w, null, null))),
            Tuple.of(1, Arbitraries.integers().between(0, 12).map(r -> scale(null, r, null))),
            Tuple.of(1, Arbitraries.create(() -> scale(null, null, true))));
    Arbitrary<SetCanaryScale> any =
        Builders.withBuilder(SetCanaryScale::new)
            .use(Arbitraries.integers().between(-10, 120))
            .withProbability(0.4)
            .inSetter((c, v) -> c.weight = v)
            .use(Arbitraries.integers().between(-1, 12))
            .withProbability(0.4)
            .inSetter((c, v) -> c.replicas = v)
            .use(Arbitraries.of(true, false))
            .withProbability(0.3)
            .inSetter((c, v) -> c.matchTrafficWeight = v)
            .build();
    return Arbitraries.frequencyOf(Tuple.of(4, valid), Tuple.of(fault, any));
  }

  private static SetCanaryScale scale(Integer weight, Integer replicas, Boolean match) {
    var scale = new SetCanaryScale();
    scale.weight = weight;
    scale.replicas = replicas;
    scale.matchTrafficWeight = match;
    return scale;
  }

  /** Analyses: templates by name with args, and with the slips of hand-written YAML. */
  static Arbitrary<RolloutAnalysis> analyses(int fault) {
    Arbitrary<List<AnalysisTemplateRef>> templates =
        Arbitraries.frequencyOf(
            Tuple.of(
                8,
                Arbitraries.of("istio-success-rate", "istio-p99-latency")
                    .map(n -> List.of(new AnalysisTemplateRef(n)))),
            Tuple.of(fault, Arbitraries.just(List.<AnalysisTemplateRef>of())),
            Tuple.of(fault, Arbitraries.create(() -> List.of(new AnalysisTemplateRef(" ")))),
            Tuple.of(fault, Arbitraries.create(() -> listOfNull(AnalysisTemplateRef.class))));
    Arbitrary<List<AnalysisArgument>> args =
        Arbitraries.frequencyOf(
            Tuple.of(
                6, Arbitraries.create(() -> List.of(new AnalysisArgument("service", "checkout")))),
            Tuple.of(fault, Arbitraries.create(() -> listOfNull(AnalysisArgument.class))),
            Tuple.of(fault, Arbitraries.create(() -> List.of(new AnalysisArgument(null, "x")))),
            Tuple.of(
                fault,
                Arbitraries.create(
                    () ->
                        List.of(
                            new AnalysisArgument("service", "a"),
                            new AnalysisArgument("service", "b")))),
            Tuple.of(
                fault,
                Arbitraries.create(
                    () -> {
                      var arg = new AnalysisArgument("service", "a");
                      arg.valueFrom = new ArgumentValueFrom();
                      return List.of(arg);
                    })));
    return Combinators.combine(templates.injectNull(0.05 * fault), args.injectNull(0.5))
        .as(
            (t, a) -> {
              var analysis = new RolloutAnalysis();
              analysis.templates = t;
              analysis.args = a;
              return analysis;
            });
  }

  /** A list whose one element is null: a dash with nothing after it in YAML. */
  private static <T> List<T> listOfNull(Class<T> type) {
    var list = new ArrayList<T>();
    list.add(null);
    return list;
  }

  private static Arbitrary<BackgroundAnalysis> backgroundAnalyses(int fault) {
    return Combinators.combine(
            analyses(fault), Arbitraries.integers().between(-fault, 10 * fault).injectNull(0.3))
        .as(
            (analysis, starting) -> {
              var background = new BackgroundAnalysis();
              background.templates = analysis.templates;
              background.startingStep = starting;
              return background;
            })
        .injectNull(0.8);
  }

  private static Arbitrary<PodMetadata> podMetadata(String role, int fault) {
    return Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just(Map.of("role", role))),
            Tuple.of(fault, Arbitraries.just(Map.of("app", role))),
            Tuple.of(fault, Arbitraries.just(Map.of("weir.dev/pod-template-hash", role))))
        .map(
            labels -> {
              var metadata = new PodMetadata();
              metadata.labels = labels;
              metadata.annotations = Map.of("side", role);
              return metadata;
            })
        .injectNull(0.6);
  }

  /** Istio routing: host-level mostly, by subsets (canary only), without a mesh, or broken. */
  private static Arbitrary<dev.weir.api.v1alpha1.TrafficRouting> routings(
      boolean canary, int fault) {
    Arbitrary<IstioTrafficRouting> istio =
        Arbitraries.frequencyOf(
            Tuple.of(
                10, Arbitraries.just(0).map(x -> istio(vs("checkout", "primary"), null, null))),
            Tuple.of(2, Arbitraries.just(0).map(x -> istio(vs("checkout"), null, null))),
            Tuple.of(
                canary ? 3 : fault,
                Arbitraries.of(fault == 1 ? "stable" : "canary", "canary")
                    .map(
                        other ->
                            istio(
                                vs("payments", "primary"),
                                null,
                                subsets("payments", "stable", other)))),
            Tuple.of(
                1,
                Arbitraries.just(0)
                    .map(x -> istio(null, List.of(vs("mesh", "primary"), vs("gateway")), null))),
            Tuple.of(1, Arbitraries.just(0).map(x -> istio(null, null, null))),
            Tuple.of(
                1,
                Arbitraries.just(0)
                    .map(x -> istio(vs("checkout"), List.of(vs("checkout")), null))));
    return Arbitraries.frequencyOf(
            Tuple.of(8, istio), Tuple.of(1, Arbitraries.just((IstioTrafficRouting) null)))
        .map(
            i -> {
              var routing = new dev.weir.api.v1alpha1.TrafficRouting();
              routing.istio = i;
              return routing;
            })
        .injectNull(canary ? 0.25 : 0.5);
  }

  private static IstioVirtualService vs(String name, String... routes) {
    var vs = new IstioVirtualService();
    vs.name = name;
    vs.routes = routes.length == 0 ? null : List.of(routes);
    return vs;
  }

  private static IstioDestinationRule subsets(String name, String stable, String canary) {
    var rule = new IstioDestinationRule();
    rule.name = name;
    rule.stableSubsetName = stable;
    rule.canarySubsetName = canary;
    return rule;
  }

  private static IstioTrafficRouting istio(
      IstioVirtualService vs, List<IstioVirtualService> many, IstioDestinationRule subsets) {
    var istio = new IstioTrafficRouting();
    istio.virtualService = vs;
    istio.virtualServices = many;
    istio.destinationRule = subsets;
    return istio;
  }

  private static Arbitrary<IntOrString> intOrPercents(int fault) {
    return Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.integers().between(1, 5).map(IntOrString::new)),
            Tuple.of(4, Arbitraries.of("25%", "50%", "100%").map(IntOrString::new)),
            Tuple.of(fault, Arbitraries.of(-1, 0).map(IntOrString::new)),
            Tuple.of(fault, Arbitraries.of("bogus", "25", "%", "0%").map(IntOrString::new)))
        .injectNull(0.6);
  }

  private static Arbitrary<Integer> delays(int fault) {
    return Arbitraries.frequencyOf(
            Tuple.of(9, Arbitraries.integers().between(0, 120)),
            Tuple.of(fault, Arbitraries.integers().between(-5, -1)))
        .injectNull(0.5);
  }

  private static double faults(int fault, double with, double without) {
    return fault == 1 ? with : without;
  }

  // ---------------------------------------------------------------------------------------------
  // Observations

  /** What the reconciler may see; with {@code problems}, references the cluster lacks too. */
  static Arbitrary<Observation> observations(boolean problems) {
    Arbitrary<Map<String, Revision>> revisions =
        Arbitraries.subsetOf(HASHES)
            .flatMap(
                hashes -> {
                  if (hashes.isEmpty()) {
                    return Arbitraries.create(() -> new HashMap<String, Revision>());
                  }
                  var each = new ArrayList<Arbitrary<Revision>>();
                  hashes.forEach(h -> each.add(revisions(h)));
                  return Combinators.combine(each)
                      .as(
                          list -> {
                            var byHash = new HashMap<String, Revision>();
                            list.forEach(r -> byHash.put(r.hash(), r));
                            return byHash;
                          });
                });
    Arbitrary<List<SpecProblem>> trafficProblems =
        sometimes(
            problems,
            new SpecProblem(
                "spec.strategy.canary.canaryService", "Service shop/checkout-canary not found"));
    Arbitrary<TrafficState> traffic =
        Combinators.combine(
                Arbitraries.frequencyOf(
                        Tuple.of(9, Arbitraries.integers().between(0, 100)),
                        Tuple.of(1, Arbitraries.of(-50, 150)))
                    .injectNull(0.15),
                pins(),
                pins(),
                trafficProblems)
            .as(
                (weight, stable, canary, p) -> {
                  var pinned = new EnumMap<Side, Set<String>>(Side.class);
                  pinned.put(Side.STABLE, stable);
                  pinned.put(Side.CANARY, canary);
                  return new TrafficState(weight, pinned, p);
                });
    Arbitrary<List<SpecProblem>> analysisProblems =
        sometimes(
            problems,
            new SpecProblem(
                "spec.strategy.canary.steps[1].analysis.templates[0]",
                "AnalysisTemplate istio-success-rate not found in namespace shop"));
    return Combinators.combine(
            Arbitraries.longs().between(0, 7200).map(NOW::plusSeconds),
            Arbitraries.of(HASHES),
            revisions,
            traffic,
            runs().list().ofMaxSize(3),
            analysisProblems)
        .as(
            (now, declared, byHash, state, runs, p) -> {
              var byName = new HashMap<String, AnalysisRunView>();
              runs.forEach(r -> byName.put(r.name(), r));
              return new Observation(
                  now,
                  declared,
                  byHash,
                  state,
                  new Observation.AnalysisObservation("checkout", byName, p));
            });
  }

  /** With {@code problems}, now and then this problem of the cluster's; else none. */
  private static Arbitrary<List<SpecProblem>> sometimes(boolean problems, SpecProblem problem) {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just(List.<SpecProblem>of())),
        Tuple.of(problems ? 1 : 0, Arbitraries.just(List.of(problem))));
  }

  private static Arbitrary<Revision> revisions(String hash) {
    return Combinators.combine(
            Arbitraries.integers().between(0, 6),
            Arbitraries.integers().between(0, 1),
            Arbitraries.integers().between(0, 6),
            Arbitraries.longs().between(-120, 120).map(NOW::plusSeconds).injectNull(0.7),
            Arbitraries.of(Map.<String, String>of(), Map.of("role", "active")))
        .as(
            (replicas, terminating, available, scaleDownAt, labels) ->
                new Revision(
                    hash,
                    "checkout-" + hash,
                    replicas,
                    replicas + terminating,
                    Math.min(available, replicas + terminating),
                    Math.min(available, replicas + terminating),
                    HASHES.indexOf(hash) + 1,
                    scaleDownAt,
                    labels,
                    Map.of()));
  }

  /** What one side's Services and subsets select: nothing to pin, no revision, one, or two. */
  private static Arbitrary<Set<String>> pins() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(Set.<String>of())),
        Tuple.of(2, Arbitraries.just(Set.of(""))),
        Tuple.of(6, Arbitraries.of(HASHES).map(Set::of)),
        Tuple.of(1, Arbitraries.just(Set.of("v1", "v2"))));
  }

  private static Arbitrary<AnalysisRunView> runs() {
    return Combinators.combine(
            Arbitraries.of(HASHES),
            Arbitraries.integers().between(1, 3),
            Arbitraries.of("background", "step-1", "step-2", "pre-promotion", "post-promotion"),
            Arbitraries.of(AnalysisPhase.values()),
            Arbitraries.of(true, false),
            Arbitraries.longs().between(-600, 0).map(NOW::plusSeconds).injectNull(0.5),
            Arbitraries.longs().between(-600, 600).map(NOW::plusSeconds).injectNull(0.3))
        .as(
            (hash, n, site, phase, terminating, measured, due) ->
                new AnalysisRunView(
                    "checkout-" + hash + "-" + n + "-" + site,
                    hash,
                    phase,
                    phase.completed() ? "metric success-rate: decided" : null,
                    terminating,
                    NOW.minusSeconds(900),
                    measured,
                    due));
  }

  // ---------------------------------------------------------------------------------------------
  // Statuses

  /** Statuses in any state, hand-edited ones among them: steps out of range, times that are not. */
  static Arbitrary<RolloutStatus> anyStatuses() {
    Arbitrary<String> hashes = Arbitraries.of("v1", "v2", "v3", "zzz", "").injectNull(0.2);
    Arbitrary<String> times =
        Arbitraries.frequencyOf(
                Tuple.of(
                    8,
                    Arbitraries.longs()
                        .between(-7200, 600)
                        .map(s -> NOW.plusSeconds(s).toString())),
                Tuple.of(1, Arbitraries.of("yesterday", "", "2026-13-01T00:00:00Z")))
            .injectNull(0.3);
    return statuses(
        hashes,
        hashes,
        Arbitraries.integers().between(-2, 10).injectNull(0.2),
        Arbitraries.integers().between(-10, 120).injectNull(0.2),
        times);
  }

  /**
   * Statuses Weir could have written for this spec and cluster: the stable revision has its
   * ReplicaSet (or is the declared one), the step is within the steps, every time parses.
   */
  static Arbitrary<RolloutStatus> consistentStatuses(RolloutSpec spec, Observation observed) {
    var stables = new ArrayList<String>(observed.revisions().keySet());
    stables.add(observed.templateHash());
    var canary = spec.strategy == null ? null : spec.strategy.canary;
    int steps = canary == null || canary.steps == null ? 0 : canary.steps.size();
    Arbitrary<String> times =
        Arbitraries.longs()
            .between(-7200, 0)
            .map(s -> observed.now().plusSeconds(s).toString())
            .injectNull(0.2);
    return statuses(
        Arbitraries.of(stables).injectNull(0.05),
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just(observed.templateHash())),
            Tuple.of(1, Arbitraries.of(HASHES))),
        Arbitraries.integers().between(0, steps).injectNull(0.1),
        Arbitraries.integers().between(0, 100).injectNull(0.1),
        times);
  }

  /** Statuses whose revisions, step, weights and times come from these. */
  private static Arbitrary<RolloutStatus> statuses(
      Arbitrary<String> stables,
      Arbitrary<String> currents,
      Arbitrary<Integer> steps,
      Arbitrary<Integer> weights,
      Arbitrary<String> times) {
    return Builders.withBuilder(RolloutStatus::new)
        .use(stables)
        .inSetter((s, v) -> s.stableRS = v)
        .use(currents)
        .inSetter((s, v) -> s.currentPodHash = v)
        .use(steps)
        .inSetter((s, v) -> s.currentStepIndex = v)
        .use(weights)
        .inSetter((s, v) -> s.currentWeight = v)
        .use(weights)
        .inSetter((s, v) -> s.verifiedWeight = v)
        .use(pauseConditions(times.filter(t -> t != null)))
        .inSetter((s, v) -> s.pauseConditions = v)
        .use(Arbitraries.of(true, false).injectNull(0.6))
        .inSetter((s, v) -> s.abort = v)
        .use(times)
        .inSetter((s, v) -> s.abortedAt = v)
        .use(Arbitraries.of(PromoteRequest.values()).injectNull(0.7))
        .inSetter((s, v) -> s.promote = v)
        .use(blueGreenStatuses(times))
        .inSetter((s, v) -> s.blueGreen = v)
        .use(runRefs())
        .inSetter((s, v) -> s.stepAnalysisRun = v)
        .use(runRefs())
        .inSetter((s, v) -> s.backgroundAnalysisRun = v)
        .use(Arbitraries.integers().between(0, 5).injectNull(0.5))
        .inSetter((s, v) -> s.analysisRunCount = v)
        .use(abortedRevisions(currents, times))
        .inSetter((s, v) -> s.abortedRevisions = v)
        .use(times)
        .inSetter((s, v) -> s.progressedAt = v)
        .use(Arbitraries.of(RolloutPhase.values()).injectNull(0.3))
        .inSetter((s, v) -> s.phase = v)
        .build();
  }

  /**
   * Revisions remembered as aborted: any hash (the declared one, the stable one, none), any time, a
   * reason or none, up to more than status keeps.
   */
  private static Arbitrary<List<AbortedRevision>> abortedRevisions(
      Arbitrary<String> hashes, Arbitrary<String> times) {
    return Combinators.combine(
            hashes,
            times,
            Arbitraries.of("AnalysisFailed", "Aborted", "ProgressDeadlineExceeded").injectNull(0.2),
            Arbitraries.of("success-rate").injectNull(0.5))
        .as(
            (hash, time, reason, metric) -> {
              var aborted = new AbortedRevision();
              aborted.podTemplateHash = hash;
              aborted.abortedAt = time;
              aborted.reason = reason;
              aborted.metric = metric;
              return aborted;
            })
        .list()
        .ofMaxSize(12)
        .map(ArrayList::new);
  }

  private static Arbitrary<List<PauseCondition>> pauseConditions(Arbitrary<String> times) {
    return Combinators.combine(
            Arbitraries.of(
                "CanaryPauseStep",
                "UserPause",
                "InconclusiveAnalysis",
                "AnalysisError",
                "BlueGreenPause"),
            times)
        .as(PauseCondition::new)
        .list()
        .ofMaxSize(2)
        .map(ArrayList::new);
  }

  private static Arbitrary<BlueGreenStatus> blueGreenStatuses(Arbitrary<String> times) {
    return Builders.withBuilder(BlueGreenStatus::new)
        .use(Arbitraries.of(HASHES).injectNull(0.5))
        .inSetter((b, v) -> b.activeSelector = v)
        .use(times)
        .inSetter((b, v) -> b.previewReadyAt = v)
        .use(Arbitraries.of(true, false).injectNull(0.5))
        .inSetter((b, v) -> b.prePromotionPassed = v)
        .use(Arbitraries.of(true, false).injectNull(0.5))
        .inSetter((b, v) -> b.promotionApproved = v)
        .use(Arbitraries.of(true, false).injectNull(0.5))
        .inSetter((b, v) -> b.postPromotionPassed = v)
        .build()
        .injectNull(0.5);
  }

  private static Arbitrary<RolloutAnalysisRunStatus> runRefs() {
    return Combinators.combine(
            Arbitraries.of(HASHES),
            Arbitraries.integers().between(1, 3),
            Arbitraries.of("background", "step-1", "step-2", "pre-promotion", "post-promotion"),
            Arbitraries.of(AnalysisPhase.values()))
        .as(
            (hash, n, site, phase) ->
                new RolloutAnalysisRunStatus(
                    "checkout-" + hash + "-" + n + "-" + site, phase, null))
        .injectNull(0.6);
  }

  // ---------------------------------------------------------------------------------------------
  // Scenes

  /**
   * Anything: any spec, any status, any observation; weighted so that valid specs meet odd statuses
   * as often as invalid specs meet anything.
   */
  static Arbitrary<Scene> anyScenes() {
    return Arbitraries.frequencyOf(
        Tuple.of(
            2, Combinators.combine(specs(true), anyStatuses(), observations(true)).as(Scene::new)),
        Tuple.of(3, oddScenes()),
        Tuple.of(1, consistentScenes()));
  }

  /** A scene Weir could have met, with one hand edit of its status. */
  static Arbitrary<Scene> oddScenes() {
    return Combinators.combine(consistentScenes(), Arbitraries.integers().between(0, 11))
        .as(
            (scene, edit) -> {
              var status = scene.status();
              switch (edit) {
                case 0 -> status.currentStepIndex = -1;
                case 1 -> status.currentStepIndex = 99;
                case 2 -> status.currentWeight = 150;
                case 3 -> status.currentWeight = -10;
                case 4 -> status.stableRS = "zzz";
                case 5 -> status.currentPodHash = "zzz";
                case 6 -> status.progressedAt = "yesterday";
                case 7 -> status.pauseConditions.add(new PauseCondition(null, null));
                case 8 -> status.abortedAt = "";
                case 9 -> {
                  status.blueGreen = new BlueGreenStatus();
                  status.blueGreen.previewReadyAt = "soon";
                }
                case 10 ->
                    status.stepAnalysisRun = new RolloutAnalysisRunStatus("elsewhere", null, null);
                default -> {
                  status.promote = PromoteRequest.Full;
                  status.currentStepIndex = -1;
                }
              }
              return scene;
            });
  }

  /**
   * A spec without the faults the validator looks for, a status Weir could have written for it and
   * a cluster without problems.
   */
  static Arbitrary<Scene> consistentScenes() {
    return Combinators.combine(specs(false), observations(false))
        .flatAs(
            (spec, observed) ->
                consistentStatuses(spec, observed)
                    .map(status -> new Scene(spec, status, observed)));
  }
}
