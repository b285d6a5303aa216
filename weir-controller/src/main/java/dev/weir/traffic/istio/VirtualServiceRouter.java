package dev.weir.traffic.istio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weir.api.v1alpha1.IstioTrafficRouting;
import dev.weir.api.v1alpha1.IstioVirtualService;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.traffic.NamedRoute;
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
import io.fabric8.kubernetes.client.utils.Serialization;
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
 * instead of moving the wrong weight. Beside them, the routes Weir names for setHeaderRoute and
 * setMirrorRoute steps, first in {@code spec.http} ({@link VirtualServiceNamedRoutes}).
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

  /**
   * A managed route: where it is in the VirtualService and where its destinations are; {@code
   * baseline} is -1 for a rollout without baselineService.
   */
  record ManagedRoute(
      String vsName, int routeIndex, String routeName, int stable, int canary, int baseline) {}

  /** A VirtualService reference of the spec, with the field path that declares it. */
  record Reference(String field, IstioVirtualService vs) {}

  @Override
  public TrafficState observe(Rollout rollout) {
    var problems = new ArrayList<SpecProblem>();
    var weights = new HashSet<Integer>();
    var baselineWeights = new HashSet<Integer>();
    var named = new HashSet<List<NamedRoute>>();
    boolean consistent = true;
    for (var ref : references(rollout)) {
      var vs = fetch(rollout, ref.vs().name);
      if (vs == null) {
        problems.add(notFound(rollout, ref));
        continue;
      }
      named.add(VirtualServiceNamedRoutes.read(http(vs), rollout.getMetadata().getName()));
      List<HTTPRoute> http = httpRoutes(vs);
      for (var route : resolve(rollout, ref, vs, problems)) {
        var destinations = http.get(route.routeIndex()).getRoute();
        int stable = weight(destinations.get(route.stable()), destinations.size());
        int canary = weight(destinations.get(route.canary()), destinations.size());
        int baseline =
            route.baseline() < 0
                ? 0
                : weight(destinations.get(route.baseline()), destinations.size());
        consistent &= stable + canary + baseline == 100;
        weights.add(canary);
        baselineWeights.add(baseline);
      }
    }
    Integer canaryWeight = consistent && weights.size() == 1 ? weights.iterator().next() : null;
    Integer baselineWeight =
        consistent && baselineWeights.size() <= 1
            ? baselineWeights.stream().findFirst().orElse(0)
            : null;
    List<NamedRoute> namedRoutes = named.size() == 1 ? named.iterator().next() : null;
    return new TrafficState(canaryWeight, Map.of(), problems, baselineWeight, namedRoutes);
  }

  @Override
  public void setNamedRoutes(Rollout rollout, List<NamedRoute> routes) {
    var written = new HashSet<String>();
    for (var ref : references(rollout)) {
      if (!written.add(ref.vs().name)) {
        // A VirtualService named twice (two of its routes) holds Weir's routes once.
        continue;
      }
      var vs = fetch(rollout, ref.vs().name);
      if (vs == null) {
        throw new IllegalStateException(notFound(rollout, ref).toString());
      }
      var problems = new ArrayList<SpecProblem>();
      var managed = resolve(rollout, ref, vs, problems);
      if (managed.isEmpty()) {
        throw new IllegalStateException(
            problems.isEmpty() ? ref.field() : problems.get(0).toString());
      }
      // Weir's routes lead where the first managed route's two destinations do (host, subset,
      // port).
      var route = http(vs).get(managed.get(0).routeIndex()).path("route");
      var patch =
          VirtualServiceNamedRoutes.patch(
              http(vs),
              rollout.getMetadata().getName(),
              routes,
              route.get(managed.get(0).stable()).path("destination"),
              route.get(managed.get(0).canary()).path("destination"));
      if (patch.isEmpty()) {
        continue;
      }
      // Patched through the object just read: no second read of it before the write.
      RouterPatch.apply(client, objects, vs, patch.toString());
    }
  }

  private static JsonNode http(VirtualService vs) {
    return Serialization.jsonMapper().valueToTree(vs).path("spec").path("http");
  }

  @Override
  public void setWeight(Rollout rollout, int canaryWeight) {
    setWeights(rollout, canaryWeight, 0);
  }

  @Override
  public void setWeights(Rollout rollout, int canaryWeight, int baselineWeight) {
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
        set(
            patch,
            base + "/route/" + route.stable() + "/weight",
            100 - canaryWeight - (route.baseline() < 0 ? 0 : baselineWeight));
        set(patch, base + "/route/" + route.canary() + "/weight", canaryWeight);
        if (route.baseline() >= 0) {
          set(patch, base + "/route/" + route.baseline() + "/weight", baselineWeight);
        }
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
      // The user's routes: Weir's own named routes are not among those it may weigh.
      var users = new ArrayList<Integer>();
      for (int i = 0; i < http.size(); i++) {
        if (!NamedRoute.isNamedByWeir(http.get(i).getName())) {
          users.add(i);
        }
      }
      if (users.size() != 1) {
        problems.add(
            new SpecProblem(
                ref.field() + ".routes",
                "required: "
                    + where
                    + " has "
                    + users.size()
                    + " HTTP routes, name the ones to use"));
        return managed;
      }
      int only = users.get(0);
      destinations(rollout, ref.field() + ".name", where, only, http.get(only), problems)
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
    String baselineName = subsets != null ? null : baselineService(rollout);
    int stable = -1;
    int canaryIndex = -1;
    int baselineIndex = -1;
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
      } else if (matches(name, baselineName, true)) {
        baselineIndex = i;
      }
    }
    String routeName = route.getName() == null ? "#" + index : "'" + route.getName() + "'";
    if (stable < 0 || canaryIndex < 0 || (baselineName != null && baselineIndex < 0)) {
      String missing = stable < 0 ? stableName : canaryIndex < 0 ? canaryName : baselineName;
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
    return Optional.of(
        new ManagedRoute(where, index, route.getName(), stable, canaryIndex, baselineIndex));
  }

  /** The baseline's Service of a canary that asks for one, or null. */
  private static String baselineService(Rollout rollout) {
    var canary = rollout.getSpec().strategy.canary;
    return canary == null ? null : canary.baselineService;
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
