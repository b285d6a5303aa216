package dev.weir.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.GatewayApiRoute;
import dev.weir.api.v1alpha1.GatewayApiTrafficRouting;
import dev.weir.api.v1alpha1.IstioDestinationRule;
import dev.weir.api.v1alpha1.IstioVirtualService;
import dev.weir.api.v1alpha1.RolloutPause;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.SetCanaryScale;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.v1alpha1.WorkloadRef;
import dev.weir.api.v1alpha1.WorkloadScaleDown;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule of {@link RolloutValidator}, applied to the example a user starts from: one mistake,
 * one problem, named by the exact field that holds it.
 */
class RolloutValidatorTest {

  private static final String CANARY = "spec.strategy.canary";
  private static final String ISTIO = CANARY + ".trafficRouting.istio";
  private static final String GATEWAY_API = CANARY + ".trafficRouting.gatewayAPI";

  /** A gatewayAPI block naming one HTTPRoute, and the rule by name or index. */
  private static GatewayApiTrafficRouting httpRoute(String name, String rule, Integer ruleIndex) {
    var route = new GatewayApiRoute();
    route.name = name;
    route.rule = rule;
    route.ruleIndex = ruleIndex;
    var gatewayApi = new GatewayApiTrafficRouting();
    gatewayApi.httpRoute = route;
    return gatewayApi;
  }

  /** The example's traffic moved from its VirtualService to Gateway API routes. */
  private static void gatewayApi(RolloutSpec spec, GatewayApiTrafficRouting gatewayApi) {
    spec.strategy.canary.trafficRouting.istio = null;
    spec.strategy.canary.trafficRouting.gatewayAPI = gatewayApi;
  }

  /** The rollout of examples/canary-istio: steps 10 %, pause, 30 %, pause 2m, 60 %, pause 2m. */
  private static RolloutSpec example() {
    return Examples.rolloutSpec("examples/canary-istio/rollout.yaml");
  }

  private static Arguments mistake(
      String what, Consumer<RolloutSpec> change, String field, String message) {
    return Arguments.of(what, change, field, message);
  }

  private static CanaryStep step(Consumer<CanaryStep> fill) {
    var step = new CanaryStep();
    fill.accept(step);
    return step;
  }

  private static void addStep(RolloutSpec spec, CanaryStep step) {
    spec.strategy.canary.steps = new ArrayList<>(spec.strategy.canary.steps);
    spec.strategy.canary.steps.add(step);
  }

  private static RolloutPause pause(IntOrString duration) {
    var pause = new RolloutPause();
    pause.duration = duration;
    return pause;
  }

  private static SetCanaryScale scale(Integer weight, Integer replicas, Boolean match) {
    var scale = new SetCanaryScale();
    scale.weight = weight;
    scale.replicas = replicas;
    scale.matchTrafficWeight = match;
    return scale;
  }

  private static WorkloadRef deployment(String name) {
    var ref = new WorkloadRef();
    ref.apiVersion = "apps/v1";
    ref.kind = "Deployment";
    ref.name = name;
    return ref;
  }

  private static IstioDestinationRule subsets(String stable, String canary) {
    var rule = new IstioDestinationRule();
    rule.name = "checkout";
    rule.stableSubsetName = stable;
    rule.canarySubsetName = canary;
    return rule;
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        mistake("negative replicas", s -> s.replicas = -1, "spec.replicas", "-1"),
        mistake(
            "no template",
            s -> s.template = null,
            "spec.template",
            "exactly one of template, workloadRef is required"),
        mistake(
            "both a template and a workloadRef",
            s -> s.workloadRef = deployment("checkout"),
            "spec.workloadRef",
            "exactly one of template, workloadRef is required"),
        mistake(
            "a workloadRef to a StatefulSet",
            s -> {
              s.template = null;
              s.workloadRef = deployment("checkout");
              s.workloadRef.kind = "StatefulSet";
            },
            "spec.workloadRef.kind",
            "must be Deployment, was 'StatefulSet'"),
        mistake(
            "a workloadRef to extensions/v1beta1",
            s -> {
              s.template = null;
              s.workloadRef = deployment("checkout");
              s.workloadRef.apiVersion = "extensions/v1beta1";
            },
            "spec.workloadRef.apiVersion",
            "must be apps/v1, was 'extensions/v1beta1'"),
        mistake(
            "a workloadRef without a name",
            s -> {
              s.template = null;
              s.workloadRef = deployment(" ");
            },
            "spec.workloadRef.name",
            "is required"),
        mistake("no selector", s -> s.selector = null, "spec.selector", "required"),
        mistake(
            "a selector with matchExpressions",
            s ->
                s.selector.setMatchExpressions(
                    List.of(new LabelSelectorRequirement("app", "In", List.of("checkout")))),
            "spec.selector.matchExpressions",
            "not supported"),
        mistake(
            "a selector that does not match the template",
            s -> s.selector.setMatchLabels(Map.of("app", "cart")),
            "spec.selector.matchLabels",
            "app=cart"),
        mistake(
            "no strategy",
            s -> s.strategy = null,
            "spec.strategy",
            "exactly one of canary, blueGreen is required"),
        mistake(
            "a strategy without canary",
            s -> s.strategy.canary = null,
            "spec.strategy",
            "exactly one of canary, blueGreen is required"),
        mistake(
            "negative scaleDownDelaySeconds",
            s -> s.strategy.canary.scaleDownDelaySeconds = -5,
            CANARY + ".scaleDownDelaySeconds",
            "-5"),
        mistake(
            "negative abortScaleDownDelaySeconds",
            s -> s.strategy.canary.abortScaleDownDelaySeconds = -1,
            CANARY + ".abortScaleDownDelaySeconds",
            "-1"),
        mistake(
            "negative maxSurge",
            s -> s.strategy.canary.maxSurge = new IntOrString(-1),
            CANARY + ".maxSurge",
            "negative"),
        mistake(
            "maxSurge neither number nor percentage",
            s -> s.strategy.canary.maxSurge = new IntOrString("lots"),
            CANARY + ".maxSurge",
            "'lots'"),
        mistake(
            "maxUnavailable a negative percentage",
            s -> s.strategy.canary.maxUnavailable = new IntOrString("-5%"),
            CANARY + ".maxUnavailable",
            "'-5%'"),
        mistake(
            "maxSurge and maxUnavailable both 0",
            s -> {
              s.strategy.canary.maxSurge = new IntOrString(0);
              s.strategy.canary.maxUnavailable = new IntOrString(0);
            },
            CANARY + ".maxUnavailable",
            "cannot be 0"),
        mistake(
            "maxSurge and maxUnavailable both 0%",
            s -> {
              s.strategy.canary.maxSurge = new IntOrString("0%");
              s.strategy.canary.maxUnavailable = new IntOrString("0%");
            },
            CANARY + ".maxUnavailable",
            "cannot be 0"),
        mistake(
            "an empty step",
            s -> s.strategy.canary.steps.set(2, new CanaryStep()),
            CANARY + ".steps[2]",
            "exactly one of setWeight, pause, setCanaryScale"),
        mistake(
            "a step with two actions",
            s -> s.strategy.canary.steps.get(0).pause = new RolloutPause(),
            CANARY + ".steps[0]",
            "exactly one of setWeight, pause, setCanaryScale"),
        mistake(
            "setWeight 120",
            s -> s.strategy.canary.steps.get(2).setWeight = 120,
            CANARY + ".steps[2].setWeight",
            "120 is out of range 0..100"),
        mistake(
            "setWeight -1",
            s -> s.strategy.canary.steps.get(4).setWeight = -1,
            CANARY + ".steps[4].setWeight",
            "-1 is out of range 0..100"),
        mistake(
            "a pause of \"2 minutes\"",
            s ->
                s.strategy.canary.steps.set(
                    3, step(c -> c.pause = pause(new IntOrString("2 minutes")))),
            CANARY + ".steps[3].pause.duration",
            "'2 minutes'"),
        mistake(
            "a pause of -1 seconds",
            s -> s.strategy.canary.steps.set(1, step(c -> c.pause = pause(new IntOrString(-1)))),
            CANARY + ".steps[1].pause.duration",
            "negative"),
        mistake(
            "setCanaryScale with nothing set",
            s -> addStep(s, step(c -> c.setCanaryScale = scale(null, null, null))),
            CANARY + ".steps[6].setCanaryScale",
            "exactly one of weight, replicas, matchTrafficWeight"),
        mistake(
            "setCanaryScale with weight and replicas",
            s -> addStep(s, step(c -> c.setCanaryScale = scale(20, 2, null))),
            CANARY + ".steps[6].setCanaryScale",
            "exactly one of weight, replicas, matchTrafficWeight"),
        mistake(
            "setCanaryScale weight 101",
            s -> addStep(s, step(c -> c.setCanaryScale = scale(101, null, null))),
            CANARY + ".steps[6].setCanaryScale.weight",
            "101 is out of range 0..100"),
        mistake(
            "setCanaryScale negative replicas",
            s -> addStep(s, step(c -> c.setCanaryScale = scale(null, -2, null))),
            CANARY + ".steps[6].setCanaryScale.replicas",
            "-2"),
        mistake(
            "trafficRouting without istio",
            s -> s.strategy.canary.trafficRouting.istio = null,
            CANARY + ".trafficRouting",
            "one of istio or gatewayAPI is required"),
        mistake(
            "trafficRouting with istio and gatewayAPI",
            s -> s.strategy.canary.trafficRouting.gatewayAPI = httpRoute("checkout", null, null),
            CANARY + ".trafficRouting",
            "set either istio or gatewayAPI, not both"),
        mistake(
            "gatewayAPI without a route",
            s -> gatewayApi(s, new GatewayApiTrafficRouting()),
            GATEWAY_API,
            "one of httpRoute, httpRoutes, grpcRoute or grpcRoutes is required"),
        mistake(
            "gatewayAPI route without a name",
            s -> gatewayApi(s, httpRoute(null, "primary", null)),
            GATEWAY_API + ".httpRoute.name",
            "is required"),
        mistake(
            "gatewayAPI route with rule and ruleIndex",
            s -> gatewayApi(s, httpRoute("checkout", "primary", 0)),
            GATEWAY_API + ".httpRoute.ruleIndex",
            "set either rule or ruleIndex"),
        mistake(
            "gatewayAPI negative ruleIndex",
            s -> gatewayApi(s, httpRoute("checkout", null, -1)),
            GATEWAY_API + ".httpRoute.ruleIndex",
            "must be 0 or more"),
        mistake(
            "gatewayAPI rule named twice",
            s -> {
              var twice = httpRoute("checkout", "primary", null);
              twice.httpRoutes = List.of(twice.httpRoute, twice.httpRoute);
              twice.httpRoute = null;
              gatewayApi(s, twice);
            },
            GATEWAY_API + ".httpRoutes[1].name",
            "the same rule of HTTPRoute 'checkout' is named twice"),
        mistake(
            "gatewayAPI grpcRoute and grpcRoutes",
            s -> {
              var both = httpRoute("checkout", "primary", null);
              both.grpcRoute = both.httpRoute;
              both.grpcRoutes = List.of(both.httpRoute);
              both.httpRoute = null;
              gatewayApi(s, both);
            },
            GATEWAY_API,
            "set either grpcRoute or grpcRoutes, not both"),
        mistake(
            "gatewayAPI without a canaryService",
            s -> {
              gatewayApi(s, httpRoute("checkout", "primary", null));
              s.strategy.canary.canaryService = null;
            },
            CANARY + ".canaryService",
            "is required with Gateway API traffic routing"),
        mistake(
            "istio without a VirtualService",
            s -> s.strategy.canary.trafficRouting.istio.virtualService = null,
            ISTIO,
            "one of virtualService or virtualServices"),
        mistake(
            "istio with virtualService and virtualServices",
            s -> {
              var istio = s.strategy.canary.trafficRouting.istio;
              istio.virtualServices = List.of(istio.virtualService);
            },
            ISTIO,
            "not both"),
        mistake(
            "host-level routing without stableService",
            s -> s.strategy.canary.stableService = null,
            CANARY + ".stableService",
            "required"),
        mistake(
            "host-level routing with a blank canaryService",
            s -> s.strategy.canary.canaryService = " ",
            CANARY + ".canaryService",
            "required"),
        mistake(
            "stableService equal to canaryService",
            s -> s.strategy.canary.canaryService = s.strategy.canary.stableService,
            CANARY + ".canaryService",
            "must differ from stableService"),
        mistake(
            "setCanaryScale without trafficRouting",
            s -> {
              s.strategy.canary.trafficRouting = null;
              var scale = new CanaryStep();
              scale.setCanaryScale = new SetCanaryScale();
              scale.setCanaryScale.replicas = 2;
              s.strategy.canary.steps.add(0, scale);
            },
            CANARY + ".steps[0].setCanaryScale",
            "requires trafficRouting"),
        mistake(
            "dynamicStableScale without trafficRouting",
            s -> {
              s.strategy.canary.trafficRouting = null;
              s.strategy.canary.dynamicStableScale = true;
            },
            CANARY + ".dynamicStableScale",
            "requires trafficRouting"),
        mistake(
            "a pod template without containers",
            s -> s.template.getSpec().setContainers(List.of()),
            "spec.template.spec.containers",
            "at least one container"),
        mistake(
            "a container without an image",
            s -> s.template.getSpec().getContainers().get(0).setImage(null),
            "spec.template.spec.containers[0].image",
            "required"),
        mistake(
            "two containers of one name",
            s ->
                s.template
                    .getSpec()
                    .setContainers(
                        List.of(
                            s.template.getSpec().getContainers().get(0),
                            new ContainerBuilder().withName("app").withImage("proxy:1").build())),
            "spec.template.spec.containers[1].name",
            "'app' is used twice"),
        mistake(
            "Weir's pod-template-hash label in the template",
            s -> s.template.getMetadata().getLabels().put("weir.dev/pod-template-hash", "abc"),
            "spec.template.metadata.labels",
            "set by Weir for each revision"),
        mistake(
            "maxUnavailable 150%",
            s -> s.strategy.canary.maxUnavailable = new IntOrString("150%"),
            CANARY + ".maxUnavailable",
            "more than all of the pods"),
        mistake(
            "a route named twice",
            s ->
                s.strategy.canary.trafficRouting.istio.virtualService.routes =
                    List.of("primary", "primary"),
            ISTIO + ".virtualService.routes[1]",
            "route 'primary' of VirtualService 'checkout' is named twice"),
        mistake(
            "one VirtualService route in virtualServices twice",
            s -> {
              var istio = s.strategy.canary.trafficRouting.istio;
              istio.virtualServices = List.of(istio.virtualService, istio.virtualService);
              istio.virtualService = null;
            },
            ISTIO + ".virtualServices[1].routes[0]",
            "is named twice"),
        mistake(
            "101 steps",
            s -> {
              s.strategy.canary.steps = new ArrayList<>();
              for (int i = 0; i <= 100; i++) {
                s.strategy.canary.steps.add(step(c -> c.setWeight = 10));
              }
            },
            CANARY + ".steps",
            "101 steps, at most 100"),
        mistake(
            "a DestinationRule whose two subsets are one",
            s -> s.strategy.canary.trafficRouting.istio.destinationRule = subsets("v", "v"),
            ISTIO + ".destinationRule.canarySubsetName",
            "must differ from stableSubsetName"),
        mistake(
            "a baseline beside a setWeight above 50",
            s -> s.strategy.canary.baselineService = "checkout-baseline",
            CANARY + ".steps[4].setWeight",
            "60 is more than 50: with baselineService the baseline takes as much again"),
        mistake(
            "a baseline without a mesh",
            s -> {
              s.strategy.canary.baselineService = "checkout-baseline";
              s.strategy.canary.trafficRouting = null;
              s.strategy.canary.stableService = null;
              s.strategy.canary.canaryService = null;
              s.strategy.canary.steps.get(4).setWeight = 50;
            },
            CANARY + ".baselineService",
            "requires host-level Istio routing"),
        mistake(
            "a baseline with DestinationRule subsets",
            s -> {
              s.strategy.canary.baselineService = "checkout-baseline";
              s.strategy.canary.trafficRouting.istio.destinationRule = subsets("stable", "canary");
              s.strategy.canary.steps.get(4).setWeight = 50;
            },
            CANARY + ".baselineService",
            "requires host-level Istio routing"),
        mistake(
            "a baseline that is the canary's Service",
            s -> {
              s.strategy.canary.baselineService = s.strategy.canary.canaryService;
              s.strategy.canary.steps.get(4).setWeight = 50;
            },
            CANARY + ".baselineService",
            "must differ from stableService and canaryService"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("mistakes")
  void eachMistakeIsNamedByItsField(
      String what, Consumer<RolloutSpec> change, String field, String message) {
    var spec = example();
    change.accept(spec);

    var problems = RolloutValidator.validate(spec);

    assertThat(problems).extracting(SpecProblem::field).containsExactly(field);
    assertThat(problems.get(0).message()).contains(message);
    assertThat(problems.get(0).toString()).startsWith(field + ": ");
  }

  @Test
  void twoMistakesGiveTwoProblemsInSpecOrder() {
    var spec = example();
    spec.strategy.canary.steps.get(0).setWeight = 150;
    spec.strategy.canary.steps.get(4).setWeight = 101;

    assertThat(RolloutValidator.validate(spec))
        .extracting(SpecProblem::field)
        .containsExactly(CANARY + ".steps[0].setWeight", CANARY + ".steps[4].setWeight");
  }

  static Stream<Arguments> validSpecs() {
    return Stream.<Arguments>of(
        Arguments.of("the example as written", (Consumer<RolloutSpec>) s -> {}),
        Arguments.of(
            "a subset-level split without Services",
            (Consumer<RolloutSpec>)
                s -> {
                  s.strategy.canary.stableService = null;
                  s.strategy.canary.canaryService = null;
                  s.strategy.canary.trafficRouting.istio.destinationRule =
                      subsets("stable", "canary");
                }),
        Arguments.of(
            "a basic canary without traffic routing",
            (Consumer<RolloutSpec>)
                s -> {
                  s.strategy.canary.trafficRouting = null;
                  s.strategy.canary.stableService = null;
                  s.strategy.canary.canaryService = null;
                }),
        Arguments.of(
            "a workloadRef to a Deployment instead of a template",
            (Consumer<RolloutSpec>)
                s -> {
                  s.template = null;
                  s.workloadRef = deployment("checkout");
                  s.workloadRef.scaleDown = WorkloadScaleDown.progressively;
                }),
        Arguments.of(
            "several VirtualServices",
            (Consumer<RolloutSpec>)
                s -> {
                  var istio = s.strategy.canary.trafficRouting.istio;
                  var gateway = new IstioVirtualService();
                  gateway.name = "checkout-gateway";
                  gateway.routes = istio.virtualService.routes;
                  istio.virtualServices = List.of(istio.virtualService, gateway);
                  istio.virtualService = null;
                }),
        Arguments.of(
            "setWeight 0 and 100, pause 30 as a number",
            (Consumer<RolloutSpec>)
                s -> {
                  s.strategy.canary.steps.get(0).setWeight = 0;
                  s.strategy.canary.steps.get(4).setWeight = 100;
                  s.strategy.canary.steps.set(3, step(c -> c.pause = pause(new IntOrString(30))));
                }),
        Arguments.of(
            "setCanaryScale by replicas, then matchTrafficWeight",
            (Consumer<RolloutSpec>)
                s -> {
                  addStep(s, step(c -> c.setCanaryScale = scale(null, 2, null)));
                  addStep(s, step(c -> c.setCanaryScale = scale(null, null, true)));
                }),
        Arguments.of(
            "maxSurge 25% and maxUnavailable 0",
            (Consumer<RolloutSpec>)
                s -> {
                  s.strategy.canary.maxSurge = new IntOrString("25%");
                  s.strategy.canary.maxUnavailable = new IntOrString(0);
                }),
        Arguments.of(
            "an HTTPRoute and a GRPCRoute of the same name, each by its rule",
            (Consumer<RolloutSpec>)
                s -> {
                  var routes = httpRoute("checkout", "primary", null);
                  routes.grpcRoute = httpRoute("checkout", "primary", null).httpRoute;
                  gatewayApi(s, routes);
                }),
        Arguments.of(
            "an HTTPRoute's rule by name, another route's by index",
            (Consumer<RolloutSpec>)
                s -> {
                  var routes = httpRoute("checkout", "primary", null);
                  var internal = httpRoute("checkout-internal", null, 2).httpRoute;
                  routes.httpRoutes = List.of(routes.httpRoute, internal);
                  routes.httpRoute = null;
                  gatewayApi(s, routes);
                }),
        Arguments.of("replicas 0", (Consumer<RolloutSpec>) s -> s.replicas = 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validSpecs")
  void aValidSpecHasNoProblem(String what, Consumer<RolloutSpec> change) {
    var spec = example();
    change.accept(spec);

    assertThat(RolloutValidator.validate(spec)).isEmpty();
  }

  @Test
  void aSelectorWithNothingInItIsAProblem() {
    var spec = example();
    spec.selector = new LabelSelector();
    spec.selector.setMatchLabels(null);
    spec.selector.setMatchExpressions(null);

    assertThat(RolloutValidator.validate(spec))
        .extracting(SpecProblem::field)
        .containsExactly("spec.selector");
  }

  @ParameterizedTest(name = "selector {0}")
  @MethodSource("emptySelectors")
  void anEmptySelectorIsAProblem(String what, LabelSelector selector) {
    var spec = example();
    spec.selector = selector;

    assertThat(RolloutValidator.validate(spec))
        .extracting(SpecProblem::field)
        .containsExactly("spec.selector");
  }

  static Stream<Arguments> emptySelectors() {
    var noLabels = new LabelSelector();
    noLabels.setMatchLabels(Map.of());
    return Stream.of(
        Arguments.of("{} as a user writes it", Serialization.unmarshal("{}", LabelSelector.class)),
        Arguments.of("new LabelSelector()", new LabelSelector()),
        Arguments.of("{matchLabels: {}}", noLabels));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unvalidatedFields")
  void fieldsWithAMinimumAreCheckedToo(String what, Consumer<RolloutSpec> change, String field) {
    var spec = example();
    change.accept(spec);

    assertThat(RolloutValidator.validate(spec))
        .extracting(SpecProblem::field)
        .containsExactly(field);
  }

  static Stream<Arguments> unvalidatedFields() {
    return Stream.of(
        Arguments.of(
            "revisionHistoryLimit -1",
            (Consumer<RolloutSpec>) s -> s.revisionHistoryLimit = -1,
            "spec.revisionHistoryLimit"),
        Arguments.of(
            "progressDeadlineSeconds 0",
            (Consumer<RolloutSpec>) s -> s.progressDeadlineSeconds = 0,
            "spec.progressDeadlineSeconds"),
        Arguments.of(
            "minReadySeconds -1",
            (Consumer<RolloutSpec>) s -> s.minReadySeconds = -1,
            "spec.minReadySeconds"));
  }

  @Test
  void aNameLongerThanALabelValueIsAProblemOfMetadataName() {
    var problems = new ArrayList<SpecProblem>();

    RolloutValidator.validateName("checkout-" + "x".repeat(55), problems);
    RolloutValidator.validateName("checkout-" + "x".repeat(54), problems);
    RolloutValidator.validateName(null, problems);

    assertThat(problems).extracting(SpecProblem::field).containsExactly("metadata.name");
    assertThat(problems.get(0).message()).startsWith("is 64 characters long, at most 63");
  }
}
