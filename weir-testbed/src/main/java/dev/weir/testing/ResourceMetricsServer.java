package dev.weir.testing;

import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;

/**
 * Plays metrics-server for the real API server: the resource metrics API ({@code
 * metrics.k8s.io/v1beta1}, PodMetrics and NodeMetrics) served over TLS on loopback and registered
 * as an APIService, so that the real kube-controller-manager's HorizontalPodAutoscaler reads pod
 * CPU through the API server's aggregation layer exactly as in a cluster. The API server reaches it
 * through an ExternalName Service naming 127.0.0.1 (there is no Service network here) and checks
 * its certificate against the APIService's caBundle for the Service's name; it proxies with its
 * front-proxy client certificate and the user in {@code X-Remote-User} (hack/kube-up.sh), which
 * this server requires, as an aggregated API server does.
 *
 * <p>What a pod uses is what the test says ({@link #cpu}), for the pods the API server reports
 * Running; the real metrics-server reads it from the kubelets, which do not exist here.
 */
public final class ResourceMetricsServer implements AutoCloseable {

  public static final String NAMESPACE = "weir-metrics";
  public static final String SERVICE = "metrics-server";
  private static final String API_SERVICE = "v1beta1.metrics.k8s.io";
  private static final String PREFIX = "/apis/metrics.k8s.io/v1beta1";

  private final KubernetesClient admin;
  private final HttpsServer server;
  private volatile ToIntFunction<Pod> millicores = pod -> 0;

  private ResourceMetricsServer(KubernetesClient admin, HttpsServer server) {
    this.admin = admin;
    this.server = server;
  }

  /** Serves the resource metrics API and registers it with the cluster; waits until Available. */
  public static ResourceMetricsServer register(RealControlPlane cluster) {
    var admin = cluster.admin();
    try {
      Path dir = Files.createTempDirectory("weir-metrics-server");
      var certificate =
          SelfSignedCertificate.create(
              dir, List.of("DNS:" + SERVICE + "." + NAMESPACE + ".svc", "IP:127.0.0.1"));
      var server =
          HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
      server.setExecutor(
          Executors.newFixedThreadPool(
              4,
              r -> {
                var thread = new Thread(r, "weir-test-metrics-server");
                thread.setDaemon(true);
                return thread;
              }));
      var metrics = new ResourceMetricsServer(admin, server);
      server.createContext("/", metrics::answer);
      server.start();
      metrics.registerAt(
          server.getAddress().getPort(),
          Base64.getEncoder().encodeToString(Files.readAllBytes(certificate.certificate())));
      return metrics;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** From now on every running pod uses this much CPU, in millicores. */
  public void cpu(ToIntFunction<Pod> millicores) {
    this.millicores = millicores;
  }

  private void registerAt(int port, String caBundle) {
    admin
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .createOr(NonDeletingOperation::update);
    admin
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(SERVICE)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .withType("ExternalName")
                .withExternalName("127.0.0.1")
                .endSpec()
                .build())
        .createOr(NonDeletingOperation::update);
    var apiService = new GenericKubernetesResource();
    apiService.setApiVersion("apiregistration.k8s.io/v1");
    apiService.setKind("APIService");
    apiService.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(API_SERVICE).build());
    apiService.setAdditionalProperty(
        "spec",
        Map.of(
            "group",
            "metrics.k8s.io",
            "version",
            "v1beta1",
            "groupPriorityMinimum",
            100,
            "versionPriority",
            100,
            "caBundle",
            caBundle,
            "service",
            Map.of("namespace", NAMESPACE, "name", SERVICE, "port", port)));
    admin.resource(apiService).createOr(NonDeletingOperation::update);
    await("APIService " + API_SERVICE + " available")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(this::available);
  }

  private boolean available() {
    var found =
        admin
            .genericKubernetesResources("apiregistration.k8s.io/v1", "APIService")
            .withName(API_SERVICE)
            .get();
    Object status = found == null ? null : found.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> map) || !(map.get("conditions") instanceof List<?> list)) {
      return false;
    }
    return list.stream()
        .map(Map.class::cast)
        .anyMatch(c -> "Available".equals(c.get("type")) && "True".equals(c.get("status")));
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (exchange.getRequestHeaders().getFirst("X-Remote-User") == null) {
        send(exchange, 403, status("Forbidden", "no X-Remote-User: not the aggregation layer"));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String selector = query(exchange, "labelSelector");
      Object body =
          route(path.endsWith("/") ? path.substring(0, path.length() - 1) : path, selector);
      if (body == null) {
        send(exchange, 404, status("NotFound", path + " is not served here"));
      } else {
        send(exchange, 200, body);
      }
    } catch (RuntimeException e) {
      send(exchange, 500, status("InternalError", String.valueOf(e)));
    }
  }

  private Object route(String path, String selector) {
    if (path.equals(PREFIX)) {
      return Map.of(
          "kind", "APIResourceList",
          "apiVersion", "v1",
          "groupVersion", "metrics.k8s.io/v1beta1",
          "resources",
              List.of(
                  resource("nodes", "NodeMetrics", false), resource("pods", "PodMetrics", true)));
    }
    if (!path.startsWith(PREFIX + "/")) {
      return null;
    }
    String[] parts = path.substring(PREFIX.length() + 1).split("/");
    if (parts[0].equals("nodes")) {
      var nodes = admin.nodes().list().getItems();
      var items =
          nodes.stream()
              .filter(n -> parts.length == 1 || n.getMetadata().getName().equals(parts[1]))
              .map(n -> nodeMetrics(n.getMetadata().getName()))
              .toList();
      return parts.length == 1
          ? list("NodeMetricsList", items)
          : items.stream().findFirst().orElse(null);
    }
    String namespace = null;
    int at = 0;
    if (parts[0].equals("namespaces") && parts.length >= 3) {
      namespace = parts[1];
      at = 2;
    }
    if (!parts[at].equals("pods")) {
      return null;
    }
    var options = new ListOptionsBuilder().withLabelSelector(selector).build();
    var pods =
        namespace == null
            ? admin.pods().inAnyNamespace().list(options).getItems()
            : admin.pods().inNamespace(namespace).list(options).getItems();
    String name = parts.length > at + 1 ? parts[at + 1] : null;
    var items =
        pods.stream()
            .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .filter(p -> name == null || p.getMetadata().getName().equals(name))
            .map(this::podMetrics)
            .toList();
    return name == null ? list("PodMetricsList", items) : items.stream().findFirst().orElse(null);
  }

  private Map<String, Object> podMetrics(Pod pod) {
    int total = Math.max(0, millicores.applyAsInt(pod));
    var containers = pod.getSpec().getContainers();
    var usage = new ArrayList<Map<String, Object>>();
    for (int i = 0; i < containers.size(); i++) {
      // The pod's CPU split over its containers, the first taking what does not divide.
      int share = total / containers.size() + (i == 0 ? total % containers.size() : 0);
      usage.add(
          Map.of(
              "name",
              containers.get(i).getName(),
              "usage",
              Map.of("cpu", share + "m", "memory", "32Mi")));
    }
    var metrics = new LinkedHashMap<String, Object>();
    metrics.put("kind", "PodMetrics");
    metrics.put("apiVersion", "metrics.k8s.io/v1beta1");
    metrics.put(
        "metadata",
        Map.of(
            "name",
            pod.getMetadata().getName(),
            "namespace",
            pod.getMetadata().getNamespace(),
            "labels",
            pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels()));
    metrics.put("timestamp", now());
    metrics.put("window", "1s");
    metrics.put("containers", usage);
    return metrics;
  }

  private Map<String, Object> nodeMetrics(String node) {
    int total =
        admin.pods().inAnyNamespace().list().getItems().stream()
            .filter(p -> node.equals(p.getSpec().getNodeName()))
            .mapToInt(p -> Math.max(0, millicores.applyAsInt(p)))
            .sum();
    return Map.of(
        "kind",
        "NodeMetrics",
        "apiVersion",
        "metrics.k8s.io/v1beta1",
        "metadata",
        Map.of("name", node),
        "timestamp",
        now(),
        "window",
        "1s",
        "usage",
        Map.of("cpu", total + "m", "memory", "1Gi"));
  }

  private static Map<String, Object> resource(String name, String kind, boolean namespaced) {
    return Map.of(
        "name", name,
        "singularName", "",
        "namespaced", namespaced,
        "kind", kind,
        "verbs", List.of("get", "list"));
  }

  private static Map<String, Object> list(String kind, List<?> items) {
    return Map.of(
        "kind", kind, "apiVersion", "metrics.k8s.io/v1beta1", "metadata", Map.of(), "items", items);
  }

  private static Map<String, Object> status(String reason, String message) {
    return Map.of(
        "kind", "Status",
        "apiVersion", "v1",
        "status", "Failure",
        "reason", reason,
        "message", message);
  }

  private static String query(HttpExchange exchange, String name) {
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) {
      return null;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static void send(HttpExchange exchange, int code, Object body) throws IOException {
    byte[] json = Serialization.asJson(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, json.length);
    exchange.getResponseBody().write(json);
  }

  /** Removes the APIService (the HPA then reads no metrics) and stops serving. */
  @Override
  public void close() {
    try {
      admin
          .genericKubernetesResources("apiregistration.k8s.io/v1", "APIService")
          .withName(API_SERVICE)
          .delete();
    } finally {
      server.stop(0);
      ((ExecutorService) server.getExecutor()).shutdownNow();
    }
  }
}
