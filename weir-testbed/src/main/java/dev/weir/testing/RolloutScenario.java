package dev.weir.testing;

import static org.awaitility.Awaitility.await;

import dev.weir.api.PodTemplateHash;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutStatus;
import io.fabric8.istio.api.api.networking.v1alpha3.Destination;
import io.fabric8.istio.api.networking.v1beta1.DestinationRule;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A release as a user drives and sees it: apply manifests, change the image, promote or abort with
 * the same small patches {@code kubectl patch} sends, and read status, weights, replicas and
 * events.
 */
public final class RolloutScenario {

  public static final Duration PATIENCE = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public RolloutScenario(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  public KubernetesClient client() {
    return client;
  }

  public String namespace() {
    return namespace;
  }

  public String name() {
    return name;
  }

  public Rollout rollout() {
    return client.resources(Rollout.class).inNamespace(namespace).withName(name).get();
  }

  public RolloutStatus status() {
    var rollout = rollout();
    return rollout == null || rollout.getStatus() == null
        ? new RolloutStatus()
        : rollout.getStatus();
  }

  /**
   * Edits the spec as a GitOps sync of a new commit would: read, change, write; when Weir's status
   * write got in between (a 409 for the stale resourceVersion), read again and retry, as a sync
   * does.
   */
  public void edit(UnaryOperator<Rollout> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.resources(Rollout.class).inNamespace(namespace).withName(name).edit(change);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  public void setImage(String image) {
    edit(
        r -> {
          r.getSpec().template.getSpec().getContainers().get(0).setImage(image);
          return r;
        });
  }

  /**
   * Releases a new revision as a commit that changes the image and the pod annotations would (the
   * simulated mesh reads a revision's error rate and latency there); returns its pod-template hash
   * once Weir has taken it up.
   */
  public String release(String image, Map<String, String> annotations) {
    edit(
        r -> {
          releaseChange(r.getSpec().template, image, annotations);
          return r;
        });
    return awaitStatus(
            "the new revision declared",
            s -> s.currentPodHash != null && !s.currentPodHash.equals(s.stableRS))
        .currentPodHash;
  }

  /** The pod-template hash {@link #release} of this image and these annotations will declare. */
  public String hashOfRelease(String image, Map<String, String> annotations) {
    var template = rollout().getSpec().template;
    releaseChange(template, image, annotations);
    return PodTemplateHash.of(template);
  }

  private static void releaseChange(
      PodTemplateSpec template, String image, Map<String, String> annotations) {
    template.getSpec().getContainers().get(0).setImage(image);
    template.getMetadata().setAnnotations(annotations);
  }

  /** {@code kubectl patch rollout NAME --subresource=status --type=merge -p ...} */
  public void patchStatus(String json) {
    client
        .resources(Rollout.class)
        .inNamespace(namespace)
        .withName(name)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), json);
  }

  public void promote() {
    patchStatus("{\"status\":{\"promote\":\"Step\"}}");
  }

  public void promoteFull() {
    patchStatus("{\"status\":{\"promote\":\"Full\"}}");
  }

  public void abort() {
    patchStatus("{\"status\":{\"abort\":true}}");
  }

  public void retry() {
    patchStatus("{\"status\":{\"abort\":false}}");
  }

  public void pause(boolean paused) {
    client
        .resources(Rollout.class)
        .inNamespace(namespace)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"paused\":" + paused + "}}");
  }

  public RolloutStatus awaitStatus(String what, Predicate<RolloutStatus> condition) {
    return awaitStatus(what, condition, PATIENCE);
  }

  /**
   * Waits at most {@code patience} for the status to meet the condition; returns the status that
   * met it (not a later one: a status that changes on every retry may have moved on since).
   */
  public RolloutStatus awaitStatus(
      String what, Predicate<RolloutStatus> condition, Duration patience) {
    try {
      return await(what)
          .atMost(patience)
          .pollInterval(Duration.ofMillis(100))
          .until(this::status, s -> condition.test(s));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "rollout never reached: " + what + "; last status:\n" + Serialization.asYaml(status()),
          e);
    }
  }

  /**
   * The canary weight a user sees in the mesh: on the first route of the VirtualService the rollout
   * names, the weight of the destination that reaches the new revision, which is the canary Service
   * (blue-green: the preview Service), or the canary subset when a DestinationRule splits the
   * traffic; with the Gateway API, the weight of that Service's backendRef on the rule of the first
   * HTTPRoute (or, with none, GRPCRoute) the rollout names.
   */
  public int canaryWeight() {
    return canaryWeight(rollout());
  }

  /** {@link #canaryWeight()} of the rollout as read. */
  int canaryWeight(Rollout rollout) {
    var strategy = rollout.getSpec().strategy;
    var routing =
        strategy.canary != null
            ? strategy.canary.trafficRouting
            : strategy.blueGreen.trafficRouting;
    String host =
        strategy.canary != null ? strategy.canary.canaryService : strategy.blueGreen.previewService;
    if (routing != null && routing.gatewayAPI != null) {
      var gatewayApi = routing.gatewayAPI;
      var http = gatewayApi.httpRoute != null ? gatewayApi.httpRoute : first(gatewayApi.httpRoutes);
      var grpc = gatewayApi.grpcRoute != null ? gatewayApi.grpcRoute : first(gatewayApi.grpcRoutes);
      var route = http != null ? http : grpc;
      return backendWeight(
          http != null ? "HTTPRoute" : "GRPCRoute", route.name, route.rule, route.ruleIndex, host);
    }
    if (routing == null || routing.istio == null) {
      throw new IllegalStateException(
          "rollout " + namespace + "/" + name + " routes no traffic through a mesh");
    }
    var istio = routing.istio;
    var vs = istio.virtualService != null ? istio.virtualService : istio.virtualServices.get(0);
    String route = vs.routes == null || vs.routes.isEmpty() ? null : vs.routes.get(0);
    if (istio.destinationRule != null) {
      return subsetWeight(vs.name, route, istio.destinationRule.canarySubsetName);
    }
    return canaryWeight(vs.name, route, host);
  }

  /**
   * The weight of the backendRef to {@code service} on a rule of an HTTPRoute: the rule of that
   * name, or at that index, or the route's first; a backendRef without a weight weighs 1, as the
   * Gateway API says.
   */
  public int backendWeight(String httpRoute, String rule, Integer ruleIndex, String service) {
    return backendWeight("HTTPRoute", httpRoute, rule, ruleIndex, service);
  }

  /** {@link #backendWeight(String, String, Integer, String)} of a route of this kind. */
  @SuppressWarnings("unchecked")
  public int backendWeight(
      String kind, String route, String rule, Integer ruleIndex, String service) {
    var object =
        client
            .genericKubernetesResources("gateway.networking.k8s.io/v1", kind)
            .inNamespace(namespace)
            .withName(route)
            .get();
    List<Map<String, Object>> rules = object.get("spec", "rules");
    var chosen =
        rule != null
            ? rules.stream().filter(r -> rule.equals(r.get("name"))).findFirst().orElseThrow()
            : rules.get(ruleIndex == null ? 0 : ruleIndex);
    return ((List<Map<String, Object>>) chosen.get("backendRefs"))
        .stream()
            .filter(b -> service.equals(b.get("name")))
            .mapToInt(b -> b.get("weight") == null ? 1 : ((Number) b.get("weight")).intValue())
            .findFirst()
            .orElseThrow();
  }

  private static <T> T first(List<T> list) {
    return list == null || list.isEmpty() ? null : list.get(0);
  }

  /** Canary weight of the named route: the weight of the destination whose host is canary. */
  public int canaryWeight(String virtualService, String route, String canaryHost) {
    return weight(virtualService, route, d -> canaryHost.equals(d.getHost()));
  }

  /**
   * Canary weight of a VirtualService as read: the weight of the destination whose host is canary.
   */
  public static int canaryWeight(VirtualService vs, String route, String canaryHost) {
    return weight(vs, route, d -> canaryHost.equals(d.getHost()));
  }

  /** Weight of the destination of the named route that points at a DestinationRule subset. */
  public int subsetWeight(String virtualService, String route, String subset) {
    return weight(virtualService, route, d -> subset.equals(d.getSubset()));
  }

  private int weight(String virtualService, String route, Predicate<Destination> destination) {
    var vs =
        client
            .resources(VirtualService.class)
            .inNamespace(namespace)
            .withName(virtualService)
            .get();
    return weight(vs, route, destination);
  }

  /** The weight of the destination on the named route (any route: null). */
  private static int weight(VirtualService vs, String route, Predicate<Destination> destination) {
    return vs.getSpec().getHttp().stream()
        .filter(r -> route == null || route.equals(r.getName()))
        .flatMap(r -> r.getRoute().stream())
        .filter(d -> destination.test(d.getDestination()))
        .mapToInt(d -> d.getWeight() == null ? 0 : d.getWeight())
        .findFirst()
        .orElseThrow();
  }

  /** The pod-template hash the rollout's template would have with this image. */
  public String hashWithImage(String image) {
    var template = rollout().getSpec().template;
    template.getSpec().getContainers().get(0).setImage(image);
    return PodTemplateHash.of(template);
  }

  /** The pod-template hash a DestinationRule subset selects. */
  public String subsetHash(String destinationRule, String subset) {
    var dr =
        client
            .resources(DestinationRule.class)
            .inNamespace(namespace)
            .withName(destinationRule)
            .get();
    return dr.getSpec().getSubsets().stream()
        .filter(s -> subset.equals(s.getName()))
        .map(s -> s.getLabels().get(WellKnownNames.POD_TEMPLATE_HASH_LABEL))
        .findFirst()
        .orElse(null);
  }

  /** Desired replicas of each ReplicaSet, by pod-template hash. */
  public Map<String, Integer> replicasByRevision() {
    return replicaSets().stream()
        .collect(
            Collectors.toMap(
                rs -> rs.getMetadata().getLabels().get(WellKnownNames.POD_TEMPLATE_HASH_LABEL),
                rs -> rs.getSpec().getReplicas()));
  }

  /**
   * The rollout's own ReplicaSets: not those of a Deployment of the same name it took over, nor its
   * baseline ({@link #baseline}).
   */
  public List<ReplicaSet> replicaSets() {
    return ownReplicaSets()
        .filter(rs -> !rs.getMetadata().getLabels().containsKey(WellKnownNames.BASELINE_LABEL))
        .toList();
  }

  /** The rollout's baseline beside the canary (baselineService), if one runs. */
  public java.util.Optional<ReplicaSet> baseline() {
    return ownReplicaSets()
        .filter(rs -> rs.getMetadata().getLabels().containsKey(WellKnownNames.BASELINE_LABEL))
        .findFirst();
  }

  private java.util.stream.Stream<ReplicaSet> ownReplicaSets() {
    return client.apps().replicaSets().inNamespace(namespace).list().getItems().stream()
        .filter(rs -> rs.getMetadata().getName().startsWith(name + "-"))
        .filter(
            rs -> rs.getMetadata().getLabels().containsKey(WellKnownNames.POD_TEMPLATE_HASH_LABEL));
  }

  public String serviceSelectorHash(String service) {
    var selector =
        client.services().inNamespace(namespace).withName(service).get().getSpec().getSelector();
    return selector.get(WellKnownNames.POD_TEMPLATE_HASH_LABEL);
  }

  /** Reasons of the Events recorded on the rollout, oldest first. */
  public List<String> eventReasons() {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }

  public boolean condition(String type) {
    return status().conditions.stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
