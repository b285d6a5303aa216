package dev.weir.traffic.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.validation.GatewayApiRoutes;
import dev.weir.api.validation.GatewayApiRoutes.Reference;
import dev.weir.traffic.NamedRoute;
import dev.weir.traffic.ReleaseSides;
import dev.weir.traffic.RouterPatch;
import dev.weir.traffic.Side;
import dev.weir.traffic.TrafficObjects;
import dev.weir.traffic.TrafficRouter;
import dev.weir.traffic.TrafficState;
import dev.weir.traffic.gatewayapi.BackendWeights.Backends;
import dev.weir.traffic.gatewayapi.BackendWeights.ManagedRule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits traffic with the weights of the stable and canary backendRefs of named rules of one or
 * more Gateway API routes, HTTPRoutes and GRPCRoutes. Only those two weights of each rule are
 * written, by a JSON patch as Weir's field manager (see {@link BackendWeights#patch}); everything
 * else of the route stays with whoever applied it. Beside them, the rules Weir names for
 * setHeaderRoute and setMirrorRoute steps, last in each HTTPRoute ({@link HttpRouteNamedRules}).
 */
public final class GatewayApiRouter implements TrafficRouter {

  private final KubernetesClient client;
  private final TrafficObjects objects;

  public GatewayApiRouter(KubernetesClient client, TrafficObjects objects) {
    this.client = client;
    this.objects = objects;
  }

  @Override
  public TrafficState observe(Rollout rollout) {
    var problems = new ArrayList<SpecProblem>();
    var weights = new HashSet<Integer>();
    var named = new HashSet<List<NamedRoute>>();
    boolean verified = true;
    for (var reference : references(rollout)) {
      var route = fetch(rollout, reference);
      if (route == null) {
        problems.add(notFound(rollout, reference));
        continue;
      }
      if (holdsNamedRoutes(reference)) {
        named.add(HttpRouteNamedRules.read(rules(route), rollout.getMetadata().getName()));
      }
      var rules = RouteRules.of(route);
      var rule =
          BackendWeights.resolve(
              rules, reference.route(), reference.field(), backends(rollout), problems);
      if (rule.isPresent()) {
        Integer weight = BackendWeights.canaryWeight(rules, rule.get());
        verified &= weight != null;
        weights.add(weight);
      }
    }
    Integer canaryWeight = verified && weights.size() == 1 ? weights.iterator().next() : null;
    List<NamedRoute> namedRoutes =
        named.isEmpty() ? List.of() : named.size() == 1 ? named.iterator().next() : null;
    return new TrafficState(canaryWeight, Map.of(), problems, namedRoutes);
  }

  /**
   * The routes Weir names are rules of the HTTPRoutes: a GRPCRoute's requests have no path or
   * method to match, and its header routes are left for later.
   */
  @Override
  public void setNamedRoutes(Rollout rollout, List<NamedRoute> routes) {
    var backends = backends(rollout);
    var written = new HashSet<String>();
    for (var reference : references(rollout)) {
      if (!holdsNamedRoutes(reference) || !written.add(reference.route().name)) {
        continue;
      }
      var route = fetch(rollout, reference);
      if (route == null) {
        throw new IllegalStateException(notFound(rollout, reference).toString());
      }
      var problems = new ArrayList<SpecProblem>();
      var managed =
          BackendWeights.resolve(
              RouteRules.of(route), reference.route(), reference.field(), backends, problems);
      if (managed.isEmpty()) {
        throw new IllegalStateException(problems.get(0).toString());
      }
      // Weir's rules lead to the managed rule's two backendRefs (their ports and namespaces).
      var refs = rules(route).get(managed.get().ruleIndex()).path("backendRefs");
      var patch =
          HttpRouteNamedRules.patch(
              rules(route),
              rollout.getMetadata().getName(),
              routes,
              refs.get(managed.get().stable()),
              refs.get(managed.get().canary()));
      if (patch.isEmpty()) {
        continue;
      }
      // Patched through the object just read: no second read of it before the write.
      RouterPatch.apply(client, objects, route, patch.toString());
    }
  }

  private static boolean holdsNamedRoutes(Reference reference) {
    return GatewayApiRoutes.HTTP_ROUTE.equals(reference.kind());
  }

  private static JsonNode rules(HasMetadata route) {
    return Serialization.jsonMapper().valueToTree(route).path("spec").path("rules");
  }

  @Override
  public void setWeight(Rollout rollout, int canaryWeight) {
    var backends = backends(rollout);
    // One patch per route, all its managed rules at once: a route named twice (two of its rules)
    // is written once.
    var byRoute = new LinkedHashMap<String, List<Reference>>();
    for (var reference : references(rollout)) {
      byRoute
          .computeIfAbsent(reference.kind() + "/" + reference.route().name, n -> new ArrayList<>())
          .add(reference);
    }
    for (var references : byRoute.values()) {
      var route = fetch(rollout, references.get(0));
      if (route == null) {
        throw new IllegalStateException(notFound(rollout, references.get(0)).toString());
      }
      var rules = RouteRules.of(route);
      var problems = new ArrayList<SpecProblem>();
      var managed = new ArrayList<ManagedRule>();
      for (var reference : references) {
        BackendWeights.resolve(rules, reference.route(), reference.field(), backends, problems)
            .ifPresent(managed::add);
      }
      if (!problems.isEmpty()) {
        throw new IllegalStateException(problems.get(0).toString());
      }
      // Patched through the object just read: no second read of it before the write.
      RouterPatch.apply(
          client, objects, route, BackendWeights.patch(managed, backends, canaryWeight).toString());
    }
  }

  @Override
  public void pin(Rollout rollout, Side side, String podTemplateHash) {
    // Weights only: the revisions are pinned by the Services' selectors.
  }

  private HasMetadata fetch(Rollout rollout, Reference reference) {
    Class<? extends HasMetadata> kind =
        GatewayApiRoutes.GRPC_ROUTE.equals(reference.kind()) ? GRPCRoute.class : HTTPRoute.class;
    return objects
        .get(kind, rollout.getMetadata().getNamespace(), reference.route().name)
        .orElse(null);
  }

  /** The route references of the rollout's spec, with their kinds and fields. */
  public static List<Reference> references(Rollout rollout) {
    return GatewayApiRoutes.references(
        ReleaseSides.strategyField(rollout) + ".trafficRouting.gatewayAPI",
        ReleaseSides.routing(rollout).gatewayAPI);
  }

  private static Backends backends(Rollout rollout) {
    return new Backends(
        rollout.getMetadata().getNamespace(),
        ReleaseSides.service(rollout, Side.STABLE),
        ReleaseSides.service(rollout, Side.CANARY));
  }

  private static SpecProblem notFound(Rollout rollout, Reference reference) {
    return new SpecProblem(
        reference.field() + ".name",
        reference.kind()
            + " "
            + rollout.getMetadata().getNamespace()
            + "/"
            + reference.route().name
            + " not found");
  }
}
