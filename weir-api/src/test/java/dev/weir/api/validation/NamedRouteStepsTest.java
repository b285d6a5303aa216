package dev.weir.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.GatewayApiRoute;
import dev.weir.api.v1alpha1.GatewayApiTrafficRouting;
import dev.weir.api.v1alpha1.HeaderRouteMatch;
import dev.weir.api.v1alpha1.MirrorRouteMatch;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.SetHeaderRoute;
import dev.weir.api.v1alpha1.SetMirrorRoute;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.v1alpha1.StringMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The setHeaderRoute and setMirrorRoute steps added to the example a user starts from: each mistake
 * one problem, named by its field; the ways of writing them that are right, none.
 */
class NamedRouteStepsTest {

  private static final String STEPS = "spec.strategy.canary.steps";

  private static RolloutSpec example() {
    return Examples.rolloutSpec("examples/canary-istio/rollout.yaml");
  }

  static CanaryStep header(String name, HeaderRouteMatch... matches) {
    var route = new SetHeaderRoute();
    route.name = name;
    route.match = matches.length == 0 ? null : List.of(matches);
    var step = new CanaryStep();
    step.setHeaderRoute = route;
    return step;
  }

  static HeaderRouteMatch carrying(String header, StringMatch value) {
    var match = new HeaderRouteMatch();
    match.headerName = header;
    match.headerValue = value;
    return match;
  }

  static CanaryStep mirror(String name, Integer percentage, MirrorRouteMatch... matches) {
    var route = new SetMirrorRoute();
    route.name = name;
    route.percentage = percentage;
    route.match = matches.length == 0 ? null : List.of(matches);
    var step = new CanaryStep();
    step.setMirrorRoute = route;
    return step;
  }

  static MirrorRouteMatch method(StringMatch method) {
    var match = new MirrorRouteMatch();
    match.method = method;
    return match;
  }

  /** The example's traffic through an HTTPRoute instead of its VirtualService. */
  static void overHttpRoute(RolloutSpec spec) {
    var route = new GatewayApiRoute();
    route.name = "checkout";
    route.rule = "primary";
    spec.strategy.canary.trafficRouting.istio = null;
    spec.strategy.canary.trafficRouting.gatewayAPI = new GatewayApiTrafficRouting();
    spec.strategy.canary.trafficRouting.gatewayAPI.httpRoute = route;
  }

  static MirrorRouteMatch path(StringMatch path) {
    var match = new MirrorRouteMatch();
    match.path = path;
    return match;
  }

  /** The example's steps with these in front. */
  private static Consumer<RolloutSpec> first(CanaryStep... steps) {
    return spec -> {
      var all = new ArrayList<>(List.of(steps));
      all.addAll(spec.strategy.canary.steps);
      spec.strategy.canary.steps = all;
    };
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of(
            "a regex that does not compile",
            first(header("beta", carrying("x-user", StringMatch.regex("team-(a|b")))),
            STEPS + "[0].setHeaderRoute.match[0].headerValue.regex",
            "'team-(a|b' does not compile"),
        Arguments.of(
            "a header value matched two ways",
            first(
                header(
                    "beta",
                    carrying(
                        "x-canary", combined(StringMatch.exact("yes"), StringMatch.prefix("y"))))),
            STEPS + "[0].setHeaderRoute.match[0].headerValue",
            "exactly one of exact, prefix, regex"),
        Arguments.of(
            "a header match without a value",
            first(header("beta", carrying("x-canary", null))),
            STEPS + "[0].setHeaderRoute.match[0].headerValue",
            "is required"),
        Arguments.of(
            "a header match without a header",
            first(header("beta", carrying(" ", StringMatch.exact("yes")))),
            STEPS + "[0].setHeaderRoute.match[0].headerName",
            "is required"),
        Arguments.of(
            "one header matched twice",
            first(
                header(
                    "beta",
                    carrying("x-canary", StringMatch.exact("yes")),
                    carrying("X-Canary", StringMatch.exact("no")))),
            STEPS + "[0].setHeaderRoute.match[1].headerName",
            "'X-Canary' is matched twice"),
        Arguments.of(
            "a route name that is no DNS label",
            first(header("Beta_Users", carrying("x-canary", StringMatch.exact("yes")))),
            STEPS + "[0].setHeaderRoute.name",
            "'Beta_Users' is not a DNS label"),
        Arguments.of(
            "a route without a name",
            first(mirror(null, 10)),
            STEPS + "[0].setMirrorRoute.name",
            "is required"),
        Arguments.of(
            "a mirror percentage of 101",
            first(mirror("shadow", 101)),
            STEPS + "[0].setMirrorRoute.percentage",
            "101 is out of range 0..100"),
        Arguments.of(
            "a mirror percentage of -5",
            first(mirror("shadow", -5)),
            STEPS + "[0].setMirrorRoute.percentage",
            "-5 is out of range 0..100"),
        Arguments.of(
            "a mirror path regex that does not compile",
            first(mirror("shadow", 10, path(StringMatch.regex("/api/[")))),
            STEPS + "[0].setMirrorRoute.match[0].path.regex",
            "does not compile"),
        Arguments.of(
            "a name used by a header route and a mirror route",
            first(
                header("beta", carrying("x-canary", StringMatch.exact("yes"))), mirror("beta", 10)),
            STEPS + "[1].setMirrorRoute.name",
            "'beta' is used twice: by setHeaderRoute and by setMirrorRoute"),
        Arguments.of(
            "a header route without trafficRouting",
            first(header("beta", carrying("x-canary", StringMatch.exact("yes"))))
                .andThen(s -> s.strategy.canary.trafficRouting = null),
            STEPS + "[0].setHeaderRoute",
            "requires trafficRouting"),
        Arguments.of(
            "a mirror route without trafficRouting",
            first(mirror("shadow", 10)).andThen(s -> s.strategy.canary.trafficRouting = null),
            STEPS + "[0].setMirrorRoute",
            "requires trafficRouting"),
        Arguments.of(
            "a mirror by method prefix over an HTTPRoute",
            first(mirror("shadow", 10, method(StringMatch.prefix("P"))))
                .andThen(NamedRouteStepsTest::overHttpRoute),
            STEPS + "[0].setMirrorRoute.match[0].method",
            "must be exact with gatewayAPI"),
        Arguments.of(
            "a header route over GRPCRoutes alone",
            first(header("beta", carrying("x-canary", StringMatch.exact("yes"))))
                .andThen(NamedRouteStepsTest::overHttpRoute)
                .andThen(
                    s -> {
                      var gateway = s.strategy.canary.trafficRouting.gatewayAPI;
                      gateway.grpcRoute = gateway.httpRoute;
                      gateway.httpRoute = null;
                    }),
            STEPS + "[0].setHeaderRoute",
            "requires an HTTPRoute"),
        Arguments.of(
            "a header route beside a weight in one step",
            first(header("beta", carrying("x-canary", StringMatch.exact("yes"))))
                .andThen(s -> s.strategy.canary.steps.get(0).setWeight = 10),
            STEPS + "[0]",
            "exactly one of setWeight, pause, setCanaryScale, analysis, setHeaderRoute,"
                + " setMirrorRoute"));
  }

  private static StringMatch combined(StringMatch a, StringMatch b) {
    var match = new StringMatch();
    match.exact = a.exact;
    match.prefix = b.prefix;
    return match;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void eachMistakeIsOneProblemOfItsField(
      String what, Consumer<RolloutSpec> change, String field, String message) {
    var spec = example();
    change.accept(spec);

    var problems = RolloutValidator.validate(spec);

    assertThat(problems).extracting(SpecProblem::field).containsExactly(field);
    assertThat(problems.get(0).message()).contains(message);
  }

  static Stream<Arguments> validSteps() {
    var headers = new MirrorRouteMatch();
    headers.method = StringMatch.exact("GET");
    headers.headers = Map.of("x-shadow", StringMatch.prefix("on"));
    return Stream.of(
        Arguments.of(
            "a header route by exact, prefix and regex, then removed",
            first(
                header(
                    "beta",
                    carrying("x-canary", StringMatch.exact("yes")),
                    carrying("x-tenant", StringMatch.prefix("internal-")),
                    carrying("x-user", StringMatch.regex("team-(a|b)"))),
                header("beta"))),
        Arguments.of(
            "a mirror of every request, then of GET on /api, then removed",
            first(
                mirror("shadow", 25),
                mirror("shadow", 50, path(StringMatch.prefix("/api")), headers),
                mirror("shadow", null))),
        Arguments.of(
            "one name set twice by the same kind",
            first(
                header("beta", carrying("x-canary", StringMatch.exact("yes"))),
                header("beta", carrying("x-canary", StringMatch.exact("always"))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validSteps")
  void theWaysOfWritingThemAreValid(String what, Consumer<RolloutSpec> change) {
    var spec = example();
    change.accept(spec);

    assertThat(RolloutValidator.validate(spec)).isEmpty();
  }
}
