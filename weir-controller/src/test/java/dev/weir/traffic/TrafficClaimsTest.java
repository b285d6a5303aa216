package dev.weir.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.GatewayApiRoute;
import dev.weir.api.v1alpha1.GatewayApiTrafficRouting;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Two rollouts of one namespace that would write the same traffic: the one created first keeps it,
 * the later one is told which field names what the other writes.
 */
class TrafficClaimsTest {

  private static final String CANARY = "spec.strategy.canary";

  /** examples/canary-istio: Services checkout-stable and -canary, route primary of checkout. */
  private static Rollout checkout(String name, String created, Consumer<Rollout> change) {
    try (InputStream in = Files.newInputStream(Path.of("examples/canary-istio/rollout.yaml"))) {
      var rollout = Serialization.unmarshal(in, Rollout.class);
      rollout.getMetadata().setName(name);
      rollout.getMetadata().setCreationTimestamp(created);
      change.accept(rollout);
      return rollout;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Rollout FIRST = checkout("checkout", "2026-01-01T10:00:00Z", r -> {});

  private static List<String> fields(List<SpecProblem> problems) {
    return problems.stream().map(SpecProblem::field).toList();
  }

  @Test
  void aCopyThatKeptEverythingIsToldOfEachServiceAndTheRoute() {
    var copy = checkout("checkout-copy", "2026-01-01T10:05:00Z", r -> {});

    var problems = TrafficClaims.problems(copy, List.of(FIRST));

    assertThat(fields(problems))
        .containsExactly(
            CANARY + ".stableService",
            CANARY + ".canaryService",
            CANARY + ".trafficRouting.istio.virtualService.routes[0]");
    assertThat(problems.get(0).message())
        .isEqualTo(
            "Service shop/checkout-stable is written by Rollout shop/checkout, created before"
                + " this one; a release needs its own");
    assertThat(problems.get(2).message())
        .startsWith("route 'primary' of VirtualService shop/checkout is written by");
  }

  @Test
  void theRolloutCreatedFirstKeepsWhatItNames() {
    var copy = checkout("checkout-copy", "2026-01-01T10:05:00Z", r -> {});

    assertThat(TrafficClaims.problems(FIRST, List.of(copy))).isEmpty();
  }

  @Test
  void rolloutsCreatedInTheSameSecondAreOrderedByName() {
    var twin = checkout("checkout-b", "2026-01-01T10:00:00Z", r -> {});
    var first = checkout("checkout-a", "2026-01-01T10:00:00Z", r -> {});

    assertThat(TrafficClaims.problems(first, List.of(twin))).isEmpty();
    assertThat(TrafficClaims.problems(twin, List.of(first))).isNotEmpty();
  }

  /** A rollout created after {@link #FIRST} with Services of its own, on these routes. */
  private static Rollout withServicesOfItsOwn(String name, List<String> routes) {
    return checkout(
        name,
        "2026-01-01T10:05:00Z",
        r -> {
          var canary = r.getSpec().strategy.canary;
          canary.stableService = name + "-stable";
          canary.canaryService = name + "-canary";
          canary.trafficRouting.istio.virtualService.routes = routes;
        });
  }

  @Test
  void anotherRouteOfTheSameVirtualServiceAndServicesOfItsOwnAreNoConflict() {
    var mobile = withServicesOfItsOwn("checkout-mobile", List.of("mobile"));

    assertThat(TrafficClaims.problems(mobile, List.of(FIRST))).isEmpty();
  }

  @Test
  void aVirtualServiceNamedWithoutRoutesOverlapsEveryRouteOfIt() {
    var whole = withServicesOfItsOwn("checkout-whole", null);

    assertThat(fields(TrafficClaims.problems(whole, List.of(FIRST))))
        .containsExactly(CANARY + ".trafficRouting.istio.virtualService.name");
  }

  /** A rollout with Services of its own on HTTPRoute checkout, picking the rule as given. */
  private static Rollout onHttpRoute(String name, String created, String rule, Integer index) {
    return checkout(
        name,
        created,
        r -> {
          var canary = r.getSpec().strategy.canary;
          canary.stableService = name + "-stable";
          canary.canaryService = name + "-canary";
          var route = new GatewayApiRoute();
          route.name = "checkout";
          route.rule = rule;
          route.ruleIndex = index;
          canary.trafficRouting.istio = null;
          canary.trafficRouting.gatewayAPI = new GatewayApiTrafficRouting();
          canary.trafficRouting.gatewayAPI.httpRoute = route;
        });
  }

  @Test
  void theSameRuleOfAnHttpRouteIsKeptByTheRolloutCreatedFirst() {
    var first = onHttpRoute("web", "2026-01-01T10:00:00Z", "primary", null);
    var later = onHttpRoute("web-copy", "2026-01-01T10:05:00Z", "primary", null);
    var otherRule = onHttpRoute("api", "2026-01-01T10:05:00Z", "api", null);
    var wholeRoute = onHttpRoute("all", "2026-01-01T10:05:00Z", null, null);

    var problems = TrafficClaims.problems(later, List.of(first));

    assertThat(fields(problems))
        .containsExactly(CANARY + ".trafficRouting.gatewayAPI.httpRoute.name");
    assertThat(problems.get(0).message())
        .startsWith("rule 'primary' of HTTPRoute shop/checkout is written by Rollout shop/web,");
    assertThat(TrafficClaims.problems(otherRule, List.of(first))).isEmpty();
    assertThat(fields(TrafficClaims.problems(wholeRoute, List.of(first))))
        .as("a route named without its rule is its only rule, which the first one writes")
        .containsExactly(CANARY + ".trafficRouting.gatewayAPI.httpRoute.name");
  }

  @Test
  void rolloutsOfOtherNamespacesOrBeingDeletedClaimNothing() {
    var elsewhere = checkout("checkout", "2026-01-01T09:00:00Z", r -> {});
    elsewhere.getMetadata().setNamespace("payments");
    var leaving = checkout("checkout-old", "2026-01-01T09:00:00Z", r -> {});
    leaving.getMetadata().setDeletionTimestamp("2026-01-01T10:10:00Z");

    assertThat(TrafficClaims.problems(FIRST, List.of(elsewhere, leaving))).isEmpty();
  }
}
