package dev.weir.testing.mesh;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRouteDestination;
import io.fabric8.istio.api.networking.v1beta1.DestinationRule;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Where the traffic of one namespace goes right now, as Envoy would route it: every http route of
 * every VirtualService and every rule of every Gateway API HTTPRoute, each destination (backendRef)
 * by its weight, each destination host to its Service, the Service's selector (plus the
 * DestinationRule subset's labels) to the ReplicaSets whose pods it selects, split by their ready
 * replicas.
 */
record RoutingTable(List<Flow> flows) {

  private static final Logger LOG = Logger.getLogger(RoutingTable.class);

  /** The share of one route's traffic that reaches the ReplicaSet, summed over all routes. */
  double shareOf(String replicaSet) {
    return flows.stream()
        .filter(f -> f.hasHealthyUpstream() && f.workload().replicaSet().equals(replicaSet))
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
    Map<String, Service> servicesByName = new HashMap<>();
    services.forEach(s -> servicesByName.put(s.getMetadata().getName(), s));
    // Sorted, so that the seeded random draws meet the flows in the same order every run.
    List<ReplicaSet> sortedReplicaSets = new ArrayList<>(replicaSets);
    sortedReplicaSets.sort(Comparator.comparing(rs -> rs.getMetadata().getName()));
    List<VirtualService> sortedVirtualServices = new ArrayList<>(virtualServices);
    sortedVirtualServices.sort(Comparator.comparing(vs -> vs.getMetadata().getName()));

    List<Flow> flows = new ArrayList<>();
    for (VirtualService vs : sortedVirtualServices) {
      if (vs.getSpec() == null || vs.getSpec().getHttp() == null) {
        continue;
      }
      var routes = vs.getSpec().getHttp();
      for (int r = 0; r < routes.size(); r++) {
        List<HTTPRouteDestination> destinations = routes.get(r).getRoute();
        if (destinations == null || destinations.isEmpty()) {
          continue;
        }
        double total = destinations.stream().mapToInt(d -> weight(d, destinations)).sum();
        for (int d = 0; d < destinations.size(); d++) {
          HTTPRouteDestination destination = destinations.get(d);
          int weight = weight(destination, destinations);
          if (weight <= 0 || destination.getDestination() == null) {
            continue;
          }
          String key = vs.getMetadata().getName() + "/" + r + "/" + d;
          flows.addAll(
              destinationFlows(
                  key,
                  weight / total,
                  destination.getDestination().getHost(),
                  destination.getDestination().getSubset(),
                  namespace,
                  destinationRules,
                  servicesByName,
                  sortedReplicaSets));
        }
      }
    }
    List<HTTPRoute> sortedHttpRoutes = new ArrayList<>(httpRoutes);
    sortedHttpRoutes.sort(Comparator.comparing(route -> route.getMetadata().getName()));
    for (HTTPRoute route : sortedHttpRoutes) {
      var rules = route.getSpec() == null ? null : route.getSpec().getRules();
      for (int r = 0; rules != null && r < rules.size(); r++) {
        List<HTTPBackendRef> backends = rules.get(r).getBackendRefs();
        if (backends == null || backends.isEmpty()) {
          continue;
        }
        double total = backends.stream().mapToInt(RoutingTable::weight).sum();
        for (int b = 0; b < backends.size(); b++) {
          HTTPBackendRef backend = backends.get(b);
          if (weight(backend) <= 0 || !localService(backend, namespace)) {
            continue;
          }
          String key = "httproute/" + route.getMetadata().getName() + "/" + r + "/" + b;
          flows.addAll(
              destinationFlows(
                  key,
                  weight(backend) / total,
                  backend.getName(),
                  null,
                  namespace,
                  destinationRules,
                  servicesByName,
                  sortedReplicaSets));
        }
      }
    }
    return new RoutingTable(List.copyOf(flows));
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

  /** Istio's rule: a lone destination takes everything; otherwise a missing weight is 0. */
  private static int weight(HTTPRouteDestination destination, List<HTTPRouteDestination> all) {
    if (destination.getWeight() != null) {
      return Math.max(0, destination.getWeight());
    }
    return all.size() == 1 ? 100 : 0;
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
