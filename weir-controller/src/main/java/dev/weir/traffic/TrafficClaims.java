package dev.weir.traffic;

import dev.weir.api.v1alpha1.GatewayApiTrafficRouting;
import dev.weir.api.v1alpha1.IstioVirtualService;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.validation.GatewayApiRoutes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one rollout writes of the traffic, that another rollout of its namespace writes too: a
 * Service's selector, a VirtualService route's weights, an HTTPRoute's or GRPCRoute's rule's
 * backendRef weights, a DestinationRule's subsets. Two rollouts writing one of them undo each other
 * at every reconcile, and the one that was copied from the other points production traffic at its
 * own pods. The rollout created first keeps what it names; a later one that names any of it is an
 * InvalidSpec naming the field, and writes nothing. Pure: the other rollouts come from the
 * informer's cache.
 */
public final class TrafficClaims {

  private TrafficClaims() {}

  /** One thing a rollout writes, and the field that names it. */
  private record Claim(String field, String kind, String name, String route, String described) {

    /** Whether two claims write the same thing: a route left unnamed is the VirtualService's. */
    boolean overlaps(Claim other) {
      return kind.equals(other.kind)
          && name.equals(other.name)
          && (route == null || other.route == null || route.equals(other.route));
    }
  }

  /**
   * The problems of {@code rollout}: each thing it would write that a rollout of {@code others}
   * created before it writes too.
   */
  public static List<SpecProblem> problems(Rollout rollout, Collection<Rollout> others) {
    var problems = new ArrayList<SpecProblem>();
    var mine = claims(rollout);
    if (mine.isEmpty()) {
      return problems;
    }
    var earlier =
        others.stream()
            .filter(o -> Objects.equals(namespace(o), namespace(rollout)))
            .filter(
                o -> !Objects.equals(o.getMetadata().getName(), rollout.getMetadata().getName()))
            .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
            .filter(o -> FIRST_CREATED.compare(o, rollout) < 0)
            .sorted(FIRST_CREATED)
            .toList();
    for (Claim claim : mine) {
      for (Rollout other : earlier) {
        Optional<Claim> taken = claims(other).stream().filter(claim::overlaps).findFirst();
        if (taken.isPresent()) {
          problems.add(
              new SpecProblem(
                  claim.field(),
                  claim.described()
                      + " is written by Rollout "
                      + namespace(other)
                      + "/"
                      + other.getMetadata().getName()
                      + ", created before this one; a release needs its own"));
          break;
        }
      }
    }
    return problems;
  }

  /** Oldest first; rollouts created in the same second by name. */
  private static final Comparator<Rollout> FIRST_CREATED =
      Comparator.comparing(TrafficClaims::created)
          .thenComparing(r -> String.valueOf(r.getMetadata().getName()));

  private static Instant created(Rollout rollout) {
    String at = rollout.getMetadata().getCreationTimestamp();
    // Not yet stored (a test's object): the newest of all.
    return at == null ? Instant.MAX : Instant.parse(at);
  }

  private static String namespace(Rollout rollout) {
    return rollout.getMetadata().getNamespace();
  }

  /** What a rollout writes; nothing for a spec too broken to say. */
  private static List<Claim> claims(Rollout rollout) {
    var claims = new ArrayList<Claim>();
    var strategy = rollout.getSpec() == null ? null : rollout.getSpec().strategy;
    if (strategy == null || (strategy.canary == null) == (strategy.blueGreen == null)) {
      return claims;
    }
    String ns = namespace(rollout);
    for (Side side : Side.values()) {
      String service = ReleaseSides.service(rollout, side);
      if (service != null && !service.isBlank()) {
        claims.add(
            new Claim(
                ReleaseSides.serviceField(rollout, side),
                "Service",
                service,
                null,
                "Service " + ns + "/" + service));
      }
    }
    var routing = ReleaseSides.routing(rollout);
    if (routing != null && routing.gatewayAPI != null) {
      httpRoutes(ReleaseSides.strategyField(rollout), routing.gatewayAPI, ns, claims);
    }
    var istio = routing == null ? null : routing.istio;
    if (istio == null) {
      return claims;
    }
    String field = ReleaseSides.strategyField(rollout) + ".trafficRouting.istio";
    if (istio.virtualService != null) {
      routes(field + ".virtualService", istio.virtualService, ns, claims);
    }
    for (int i = 0; istio.virtualServices != null && i < istio.virtualServices.size(); i++) {
      routes(field + ".virtualServices[" + i + "]", istio.virtualServices.get(i), ns, claims);
    }
    if (istio.destinationRule != null && istio.destinationRule.name != null) {
      claims.add(
          new Claim(
              field + ".destinationRule.name",
              "DestinationRule",
              istio.destinationRule.name,
              null,
              "DestinationRule " + ns + "/" + istio.destinationRule.name));
    }
    return claims;
  }

  private static void httpRoutes(
      String strategyField, GatewayApiTrafficRouting gatewayApi, String ns, List<Claim> claims) {
    for (var reference :
        GatewayApiRoutes.references(strategyField + ".trafficRouting.gatewayAPI", gatewayApi)) {
      var route = reference.route();
      if (route == null || route.name == null) {
        continue;
      }
      String where = reference.kind() + " " + ns + "/" + route.name;
      // A rule left unnamed is the route's only one, so it overlaps any rule of the route.
      String rule =
          route.rule != null ? route.rule : route.ruleIndex != null ? "#" + route.ruleIndex : null;
      String described = rule == null ? "the rule of " + where : "rule '" + rule + "' of " + where;
      claims.add(
          new Claim(reference.field() + ".name", reference.kind(), route.name, rule, described));
    }
  }

  private static void routes(String field, IstioVirtualService vs, String ns, List<Claim> claims) {
    if (vs.name == null) {
      return;
    }
    String where = "VirtualService " + ns + "/" + vs.name;
    if (vs.routes == null || vs.routes.isEmpty()) {
      claims.add(
          new Claim(field + ".name", "VirtualService", vs.name, null, "the route of " + where));
      return;
    }
    for (int i = 0; i < vs.routes.size(); i++) {
      String route = vs.routes.get(i);
      claims.add(
          new Claim(
              field + ".routes[" + i + "]",
              "VirtualService",
              vs.name,
              route,
              "route '" + route + "' of " + where));
    }
  }
}
