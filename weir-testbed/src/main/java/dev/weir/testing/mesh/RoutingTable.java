package dev.weir.testing.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.istio.api.networking.v1beta1.DestinationRule;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Where the traffic of one namespace goes right now, as Envoy would route it: every http route of
 * every VirtualService and every rule of every Gateway API HTTPRoute that the user wrote is an
 * entrance of the client's requests, each kind of request ({@link SimulatedRequest}) taken by the
 * route Weir named (weir.ROLLOUT.NAME) that matches it first (Istio: ahead of the entrance in the
 * list; Gateway API: more specific by the API's precedence), else by the entrance itself; each
 * destination (backendRef) by its weight, a mirror's copies as flows of their own, each destination
 * host to its Service, the Service's selector (plus the DestinationRule subset's labels) to the
 * ReplicaSets whose pods it selects, split by their ready replicas.
 */
record RoutingTable(List<Flow> flows) {

  private static final Logger LOG = Logger.getLogger(RoutingTable.class);

  /**
   * The share of one route's traffic that reaches the ReplicaSet, summed over all routes; mirrored
   * copies are not counted.
   */
  double shareOf(String replicaSet) {
    return flows.stream()
        .filter(
            f ->
                f.hasHealthyUpstream()
                    && !f.mirrored()
                    && f.workload().replicaSet().equals(replicaSet))
        .mapToDouble(Flow::share)
        .sum();
  }

  static RoutingTable resolve(
      String namespace,
      List<VirtualService> virtualServices,
      List<HTTPRoute> httpRoutes,
      List<DestinationRule> destinationRules,
      List<Service> services,
      List<ReplicaSet> replicaSets) {
    return resolve(
        namespace,
        Map.of(SimulatedRequest.PLAIN, 1.0),
        virtualServices,
        httpRoutes,
        destinationRules,
        services,
        replicaSets);
  }

  /**
   * @param mix the kinds of request the client sends, each with its share of every entrance's
   *     requests (the shares sum to 1)
   */
  static RoutingTable resolve(
      String namespace,
      Map<SimulatedRequest, Double> mix,
      List<VirtualService> virtualServices,
      List<HTTPRoute> httpRoutes,
      List<DestinationRule> destinationRules,
      List<Service> services,
      List<ReplicaSet> replicaSets) {
    Map<String, Service> servicesByName = new HashMap<>();
    services.forEach(s -> servicesByName.put(s.getMetadata().getName(), s));
    // Sorted, so that the seeded random draws meet the flows in the same order every run.
    List<ReplicaSet> sortedReplicaSets = new ArrayList<>(replicaSets);
    sortedReplicaSets.sort(Comparator.comparing(rs -> rs.getMetadata().getName()));
    List<VirtualService> sortedVirtualServices = new ArrayList<>(virtualServices);
    sortedVirtualServices.sort(Comparator.comparing(vs -> vs.getMetadata().getName()));
    var kinds = new ArrayList<>(mix.entrySet());
    kinds.sort(Comparator.comparing(e -> e.getKey().toString()));
    Destinations resolver =
        (key, share, host, subset) ->
            destinationFlows(
                key,
                share,
                host,
                subset,
                namespace,
                destinationRules,
                servicesByName,
                sortedReplicaSets);

    List<Flow> flows = new ArrayList<>();
    for (VirtualService vs : sortedVirtualServices) {
      JsonNode http = Serialization.jsonMapper().valueToTree(vs).path("spec").path("http");
      for (int r = 0; r < http.size(); r++) {
        if (namedByWeir(http.get(r).path("name").asText(null))) {
          continue;
        }
        for (int k = 0; k < kinds.size(); k++) {
          var kind = kinds.get(k);
          int taker = r;
          // Envoy takes the first route that matches: Weir's named routes, where they stand ahead.
          for (int w = 0; w < r; w++) {
            if (namedByWeir(http.get(w).path("name").asText(null))
                && RequestMatches.istio(http.get(w).path("match"), kind.getKey())) {
              taker = w;
              break;
            }
          }
          String key = vs.getMetadata().getName() + "/" + r + "/" + k + "/" + taker;
          flows.addAll(istioRoute(key, kind.getValue(), http.get(taker), resolver));
        }
      }
    }
    List<HTTPRoute> sortedHttpRoutes = new ArrayList<>(httpRoutes);
    sortedHttpRoutes.sort(Comparator.comparing(route -> route.getMetadata().getName()));
    for (HTTPRoute route : sortedHttpRoutes) {
      var rules = route.getSpec() == null ? null : route.getSpec().getRules();
      for (int r = 0; rules != null && r < rules.size(); r++) {
        if (namedByWeir(rules.get(r).getName())) {
          continue;
        }
        for (int k = 0; k < kinds.size(); k++) {
          var kind = kinds.get(k);
          int taker = r;
          var best = RequestMatches.gatewayApi(rules.get(r).getMatches(), kind.getKey());
          if (best == null) {
            best = RequestMatches.Rank.LOWEST;
          }
          // The Gateway API ranks rules by their matches; on a tie the rule listed first wins.
          for (int w = 0; w < rules.size(); w++) {
            if (!namedByWeir(rules.get(w).getName())) {
              continue;
            }
            var rank = RequestMatches.gatewayApi(rules.get(w).getMatches(), kind.getKey());
            if (rank != null
                && (rank.compareTo(best) > 0 || (rank.compareTo(best) == 0 && w < taker))) {
              taker = w;
              best = rank;
            }
          }
          String key =
              "httproute/" + route.getMetadata().getName() + "/" + r + "/" + k + "/" + taker;
          flows.addAll(gatewayRule(key, kind.getValue(), rules.get(taker), namespace, resolver));
        }
      }
    }
    return new RoutingTable(List.copyOf(flows));
  }

  /** The flows of a destination host (and subset), a share of the route's requests. */
  private interface Destinations {
    List<Flow> of(String key, double share, String host, String subset);
  }

  /** The flows of an Istio http route: its destinations by weight, and its mirror's copies. */
  private static List<Flow> istioRoute(
      String key, double share, JsonNode route, Destinations resolver) {
    var flows = new ArrayList<Flow>();
    JsonNode destinations = route.path("route");
    double total = 0;
    for (JsonNode d : destinations) {
      total += weight(d, destinations.size());
    }
    for (int d = 0; d < destinations.size(); d++) {
      JsonNode destination = destinations.get(d);
      int weight = weight(destination, destinations.size());
      if (weight <= 0 || !destination.hasNonNull("destination")) {
        continue;
      }
      flows.addAll(
          resolver.of(
              key + "/" + d,
              share * weight / total,
              destination.path("destination").path("host").asText(null),
              destination.path("destination").path("subset").asText(null)));
    }
    JsonNode mirror = route.path("mirror");
    if (mirror.hasNonNull("host")) {
      double percent = route.path("mirrorPercentage").path("value").asDouble(100);
      resolver
          .of(
              key + "/mirror",
              share * percent / 100,
              mirror.get("host").asText(),
              mirror.path("subset").asText(null))
          .forEach(f -> flows.add(f.asMirror()));
    }
    return flows;
  }

  /** The flows of a Gateway API rule: its backendRefs by weight, and its RequestMirror's copies. */
  private static List<Flow> gatewayRule(
      String key, double share, HTTPRouteRule rule, String namespace, Destinations resolver) {
    var flows = new ArrayList<Flow>();
    List<HTTPBackendRef> backends = rule.getBackendRefs();
    if (backends == null || backends.isEmpty()) {
      return flows;
    }
    double total = backends.stream().mapToInt(RoutingTable::weight).sum();
    for (int b = 0; b < backends.size(); b++) {
      HTTPBackendRef backend = backends.get(b);
      if (weight(backend) <= 0 || !localService(backend, namespace)) {
        continue;
      }
      flows.addAll(
          resolver.of(key + "/" + b, share * weight(backend) / total, backend.getName(), null));
    }
    for (var filter : rule.getFilters() == null ? List.<HTTPRouteFilter>of() : rule.getFilters()) {
      var mirror = filter.getRequestMirror();
      if (!"RequestMirror".equals(filter.getType())
          || mirror == null
          || mirror.getBackendRef() == null) {
        continue;
      }
      double percent = mirror.getPercent() == null ? 100 : mirror.getPercent();
      resolver
          .of(key + "/mirror", share * percent / 100, mirror.getBackendRef().getName(), null)
          .forEach(f -> flows.add(f.asMirror()));
    }
    return flows;
  }

  // The routes Weir names for setHeaderRoute and setMirrorRoute steps; the simulated client's
  // requests enter by the user's routes.
  private static boolean namedByWeir(String name) {
    return name != null && name.startsWith("weir.");
  }

  /** Istio's rule: a lone destination takes everything; otherwise a missing weight is 0. */
  private static int weight(JsonNode destination, int destinations) {
    if (destination.hasNonNull("weight")) {
      return Math.max(0, destination.get("weight").asInt());
    }
    return destinations == 1 ? 100 : 0;
  }

  /** The Gateway API's rule: a backendRef without a weight weighs 1. */
  private static int weight(HTTPBackendRef backend) {
    return backend.getWeight() == null ? 1 : Math.max(0, backend.getWeight());
  }

  /** A backendRef to a Service of the route's own namespace, the only kind the mesh follows. */
  private static boolean localService(HTTPBackendRef backend, String namespace) {
    return (backend.getGroup() == null || backend.getGroup().isEmpty())
        && (backend.getKind() == null || "Service".equals(backend.getKind()))
        && (backend.getNamespace() == null || namespace.equals(backend.getNamespace()));
  }

  /** The flows of one destination: a host (and an optional DestinationRule subset). */
  static List<Flow> destinationFlows(
      String key,
      double share,
      String host,
      String subset,
      String namespace,
      List<DestinationRule> destinationRules,
      Map<String, Service> services,
      List<ReplicaSet> replicaSets) {
    MeshService meshService = MeshService.resolve(host, namespace);
    Service service = meshService == null ? null : services.get(meshService.name());
    if (service == null
        || service.getSpec().getSelector() == null
        || service.getSpec().getSelector().isEmpty()) {
      LOG.debugf("%s: host %s is no Service with a selector in %s", key, host, namespace);
      return List.of();
    }
    Map<String, String> selector = new HashMap<>(service.getSpec().getSelector());
    if (subset != null) {
      Map<String, String> labels = subsetLabels(meshService, subset, destinationRules);
      if (labels == null) {
        LOG.debugf("%s: no DestinationRule subset %s for %s", key, subset, meshService);
        return List.of();
      }
      selector.putAll(labels);
    }

    List<ReplicaSet> selected =
        replicaSets.stream().filter(rs -> ready(rs) > 0 && selects(selector, rs)).toList();
    int ready = selected.stream().mapToInt(RoutingTable::ready).sum();
    if (ready == 0) {
      return List.of(new Flow(key + "/no-healthy-upstream", share, meshService, null));
    }
    return selected.stream()
        .map(
            rs ->
                new Flow(
                    key + "/" + rs.getMetadata().getName(),
                    share * ready(rs) / ready,
                    meshService,
                    DestinationWorkload.of(rs)))
        .toList();
  }

  private static Map<String, String> subsetLabels(
      MeshService service, String subset, List<DestinationRule> destinationRules) {
    for (DestinationRule rule : destinationRules) {
      if (rule.getSpec() == null
          || rule.getSpec().getSubsets() == null
          || !service.equals(MeshService.resolve(rule.getSpec().getHost(), service.namespace()))) {
        continue;
      }
      for (var candidate : rule.getSpec().getSubsets()) {
        if (subset.equals(candidate.getName())) {
          return candidate.getLabels() == null ? Map.of() : candidate.getLabels();
        }
      }
    }
    return null;
  }

  private static boolean selects(Map<String, String> selector, ReplicaSet rs) {
    var template = rs.getSpec().getTemplate();
    Map<String, String> labels =
        template == null || template.getMetadata() == null
            ? null
            : template.getMetadata().getLabels();
    return labels != null
        && selector.entrySet().stream()
            .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
  }

  private static int ready(ReplicaSet rs) {
    var status = rs.getStatus();
    return status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
  }
}
