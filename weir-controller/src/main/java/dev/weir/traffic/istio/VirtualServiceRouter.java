package dev.weir.traffic.istio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weir.api.v1alpha1.IstioTrafficRouting;
import dev.weir.api.v1alpha1.IstioVirtualService;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.traffic.ReleaseSides;
import dev.weir.traffic.RouterPatch;
import dev.weir.traffic.Side;
import dev.weir.traffic.TrafficObjects;
import dev.weir.traffic.TrafficRouter;
import dev.weir.traffic.TrafficState;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRouteDestination;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Splits traffic with the weights of named HTTP routes of one or more VirtualServices. Host-level:
 * a route's destinations are the stable and canary Services; subset-level: they are the stable and
 * canary subsets of one host. Only the two weights of each named route are written, by a JSON patch
 * that first tests the route's name, so a concurrent edit that reorders the routes fails the write
 * instead of moving the wrong weight.
 */
public final class VirtualServiceRouter implements TrafficRouter {

  private final KubernetesClient client;
  private final TrafficObjects objects;

  public VirtualServiceRouter(KubernetesClient client) {
    this(client, TrafficObjects.direct(client));
  }

  public VirtualServiceRouter(KubernetesClient client, TrafficObjects objects) {
    this.client = client;
    this.objects = objects;
  }

  /** A managed route: where it is in the VirtualService and where its two destinations are. */
  record ManagedRoute(String vsName, int routeIndex, String routeName, int stable, int canary) {}

  /** A VirtualService reference of the spec, with the field path that declares it. */
  record Reference(String field, IstioVirtualService vs) {}

  @Override
  public TrafficState observe(Rollout rollout) {
    var problems = new ArrayList<SpecProblem>();
    var weights = new HashSet<Integer>();
    boolean consistent = true;
    for (var ref : references(rollout)) {
      var vs = fetch(rollout, ref.vs().name);
      if (vs == null) {
        problems.add(notFound(rollout, ref));
        continue;
      }
      List<HTTPRoute> http = httpRoutes(vs);
      for (var route : resolve(rollout, ref, vs, problems)) {
        var destinations = http.get(route.routeIndex()).getRoute();
        int stable = weight(destinations.get(route.stable()), destinations.size());
        int canary = weight(destinations.get(route.canary()), destinations.size());
        consistent &= stable + canary == 100;
        weights.add(canary);
      }
    }
    Integer canaryWeight = consistent && weights.size() == 1 ? weights.iterator().next() : null;
    return new TrafficState(canaryWeight, Map.of(), problems);
  }

  @Override
  public void setWeight(Rollout rollout, int canaryWeight) {
    for (var ref : references(rollout)) {
      var vs = fetch(rollout, ref.vs().name);
      if (vs == null) {
        throw new IllegalStateException(notFound(rollout, ref).toString());
      }
      var problems = new ArrayList<SpecProblem>();
      var routes = resolve(rollout, ref, vs, problems);
      if (!problems.isEmpty()) {
        throw new IllegalStateException(problems.get(0).toString());
      }
      var patch = JsonNodeFactory.instance.arrayNode();
      for (var route : routes) {
        String base = "/spec/http/" + route.routeIndex();
        if (route.routeName() != null) {
          test(patch, base + "/name", route.routeName());
        }
        set(patch, base + "/route/" + route.stable() + "/weight", 100 - canaryWeight);
        set(patch, base + "/route/" + route.canary() + "/weight", canaryWeight);
      }
      // Patched through the object just read: no second read of it before the write.
      RouterPatch.apply(client, objects, vs, patch.toString());
    }
  }

  @Override
  public void pin(Rollout rollout, Side side, String podTemplateHash) {
    // Route weights only: the revisions are pinned by Services or DestinationRule subsets.
  }

  private VirtualService fetch(Rollout rollout, String name) {
    return objects
        .get(VirtualService.class, rollout.getMetadata().getNamespace(), name)
        .orElse(null);
  }

  static List<Reference> references(Rollout rollout) {
    IstioTrafficRouting istio = ReleaseSides.routing(rollout).istio;
    String field = ReleaseSides.strategyField(rollout) + ".trafficRouting.istio";
    var refs = new ArrayList<Reference>();
    if (istio.virtualService != null) {
      refs.add(new Reference(field + ".virtualService", istio.virtualService));
    }
    if (istio.virtualServices != null) {
      for (int i = 0; i < istio.virtualServices.size(); i++) {
        refs.add(
            new Reference(field + ".virtualServices[" + i + "]", istio.virtualServices.get(i)));
      }
    }
    return refs;
  }

  private List<ManagedRoute> resolve(
      Rollout rollout, Reference ref, VirtualService vs, List<SpecProblem> problems) {
    List<HTTPRoute> http = httpRoutes(vs);
    String where = "VirtualService " + rollout.getMetadata().getNamespace() + "/" + ref.vs().name;
    List<String> names = ref.vs().routes;
    var managed = new ArrayList<ManagedRoute>();
    if (names == null || names.isEmpty()) {
      if (http.size() != 1) {
        problems.add(
            new SpecProblem(
                ref.field() + ".routes",
                "required: "
                    + where
                    + " has "
                    + http.size()
                    + " HTTP routes, name the ones to use"));
        return managed;
      }
      destinations(rollout, ref.field() + ".name", where, 0, http.get(0), problems)
          .ifPresent(managed::add);
      return managed;
    }
    for (int i = 0; i < names.size(); i++) {
      String field = ref.field() + ".routes[" + i + "]";
      int index = indexOf(http, names.get(i));
      if (index < 0) {
        problems.add(new SpecProblem(field, "route '" + names.get(i) + "' not found in " + where));
        continue;
      }
      destinations(rollout, field, where, index, http.get(index), problems).ifPresent(managed::add);
    }
    return managed;
  }

  private Optional<ManagedRoute> destinations(
      Rollout rollout,
      String field,
      String where,
      int index,
      HTTPRoute route,
      List<SpecProblem> problems) {
    var subsets = ReleaseSides.routing(rollout).istio.destinationRule;
    String stableName =
        subsets != null ? subsets.stableSubsetName : ReleaseSides.service(rollout, Side.STABLE);
    String canaryName =
        subsets != null ? subsets.canarySubsetName : ReleaseSides.service(rollout, Side.CANARY);
    String kind = subsets != null ? "subset" : "host";
    List<HTTPRouteDestination> destinations =
        route.getRoute() == null ? List.of() : route.getRoute();
    int stable = -1;
    int canaryIndex = -1;
    for (int i = 0; i < destinations.size(); i++) {
      var d = destinations.get(i).getDestination();
      if (d == null) {
        continue;
      }
      String name = subsets != null ? d.getSubset() : d.getHost();
      if (matches(name, stableName, subsets == null)) {
        stable = i;
      } else if (matches(name, canaryName, subsets == null)) {
        canaryIndex = i;
      }
    }
    String routeName = route.getName() == null ? "#" + index : "'" + route.getName() + "'";
    if (stable < 0 || canaryIndex < 0) {
      String missing = stable < 0 ? stableName : canaryName;
      problems.add(
          new SpecProblem(
              field,
              "route "
                  + routeName
                  + " of "
                  + where
                  + " has no destination with "
                  + kind
                  + " '"
                  + missing
                  + "'"));
      return Optional.empty();
    }
    return Optional.of(new ManagedRoute(where, index, route.getName(), stable, canaryIndex));
  }

  // A host may be written short ("checkout-stable") or qualified ("checkout-stable.shop.svc...").
  private static boolean matches(String actual, String expected, boolean isHost) {
    if (actual == null || expected == null) {
      return false;
    }
    return actual.equals(expected) || (isHost && actual.startsWith(expected + "."));
  }

  private static int indexOf(List<HTTPRoute> http, String name) {
    for (int i = 0; i < http.size(); i++) {
      if (name.equals(http.get(i).getName())) {
        return i;
      }
    }
    return -1;
  }

  private static List<HTTPRoute> httpRoutes(VirtualService vs) {
    if (vs.getSpec() == null || vs.getSpec().getHttp() == null) {
      return List.of();
    }
    return vs.getSpec().getHttp();
  }

  // Istio sends everything to a lone destination without a weight, nothing to an unweighted one
  // among several.
  private static int weight(HTTPRouteDestination destination, int destinations) {
    if (destination.getWeight() == null) {
      return destinations == 1 ? 100 : 0;
    }
    return destination.getWeight();
  }

  private static SpecProblem notFound(Rollout rollout, Reference ref) {
    return new SpecProblem(
        ref.field() + ".name",
        "VirtualService "
            + rollout.getMetadata().getNamespace()
            + "/"
            + ref.vs().name
            + " not found");
  }

  private static void test(ArrayNode patch, String path, String value) {
    patch.addObject().put("op", "test").put("path", path).put("value", value);
  }

  // "add" sets a member whether or not it exists; "replace" would fail on a weightless destination.
  private static void set(ArrayNode patch, String path, int value) {
    patch.addObject().put("op", "add").put("path", path).put("value", value);
  }
}
