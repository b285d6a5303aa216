package dev.weir.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real mutating admission webhook for the real API server: an HTTPS server on loopback (a
 * self-signed certificate the webhook configuration trusts) that the API server calls on every
 * write of a held object, and that answers with the hold's JSON Patch. A hold registers a
 * MutatingWebhookConfiguration of its own, scoped by an object selector to the one object it
 * labels, so nothing else in the cluster goes through it; closing the hold removes it.
 */
public final class MutatingWebhook implements FieldHolder, AutoCloseable {

  private static final String HELD_LABEL = "test.weir.dev/held";
  private static final AtomicInteger HOLDS = new AtomicInteger();

  private final KubernetesClient admin;
  private final HttpsServer server;
  private final String caBundle;
  private final Map<String, Held> holds = new ConcurrentHashMap<>();

  private MutatingWebhook(KubernetesClient admin, HttpsServer server, String caBundle) {
    this.admin = admin;
    this.server = server;
    this.caBundle = caBundle;
  }

  /** Starts the webhook's server; the cluster calls it once a hold is registered. */
  public static MutatingWebhook start(KubernetesClient admin) {
    try {
      Path dir = Files.createTempDirectory("weir-webhook");
      var certificate = SelfSignedCertificate.create(dir, List.of("IP:127.0.0.1"));
      var server =
          HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
      server.setExecutor(Executors.newCachedThreadPool(daemon()));
      String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(certificate.certificate()));
      var webhook = new MutatingWebhook(admin, server, ca);
      server.createContext("/hold/", webhook::review);
      server.start();
      return webhook;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Hold hold(HasMetadata target, String jsonPatch) {
    String id = "hold-" + HOLDS.incrementAndGet();
    var held = new Held(id, Serialization.unmarshal(jsonPatch, JsonNode.class));
    holds.put(id, held);
    String group = HasMetadata.getGroup(target.getClass());
    admin
        .resource(configuration(id, group == null ? "" : group, target))
        .createOr(existing -> existing.update());
    // The object selector scopes the webhook to this object alone.
    admin
        .resource(target)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"" + HELD_LABEL + "\":\"" + id + "\"}}}");
    // The API server takes a moment to load a new webhook: poke the object until it answers.
    await("the webhook of " + id + " called")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              admin
                  .resource(target)
                  .patch(
                      PatchContext.of(PatchType.JSON_MERGE),
                      "{\"metadata\":{\"annotations\":{\"test.weir.dev/poke\":\""
                          + System.nanoTime()
                          + "\"}}}");
              return held.amended() > 0;
            });
    return held;
  }

  private MutatingWebhookConfiguration configuration(String id, String group, HasMetadata target) {
    return new MutatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName("weir-test-" + id)
        .endMetadata()
        .addNewWebhook()
        .withName(id + ".test.weir.dev")
        .withAdmissionReviewVersions("v1")
        .withSideEffects("None")
        .withFailurePolicy("Fail")
        .withTimeoutSeconds(5)
        .withNewClientConfig()
        .withUrl("https://127.0.0.1:" + server.getAddress().getPort() + "/hold/" + id)
        .withCaBundle(caBundle)
        .endClientConfig()
        .addNewRule()
        .withOperations("UPDATE")
        .withApiGroups(group)
        .withApiVersions("*")
        .withResources(HasMetadata.getPlural(target.getClass()))
        .withScope("Namespaced")
        .endRule()
        .withNewObjectSelector()
        .addToMatchLabels(HELD_LABEL, id)
        .endObjectSelector()
        .endWebhook()
        .build();
  }

  /** Answers an AdmissionReview: allowed, amended by the hold's patch. */
  private void review(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      JsonNode review = Serialization.jsonMapper().readTree(in);
      String id = exchange.getRequestURI().getPath().substring("/hold/".length());
      Held held = holds.get(id);
      var response = JsonNodeFactory.instance.objectNode();
      response.put("uid", review.path("request").path("uid").asText());
      response.put("allowed", true);
      if (held != null) {
        held.amended.incrementAndGet();
        response.put("patchType", "JSONPatch");
        response.put(
            "patch",
            Base64.getEncoder()
                .encodeToString(held.patch.toString().getBytes(StandardCharsets.UTF_8)));
      }
      var answer = JsonNodeFactory.instance.objectNode();
      answer.put("apiVersion", "admission.k8s.io/v1");
      answer.put("kind", "AdmissionReview");
      answer.set("response", response);
      byte[] body = answer.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private final class Held implements Hold {
    private final String id;
    private final JsonNode patch;
    private final AtomicInteger amended = new AtomicInteger();

    private Held(String id, JsonNode patch) {
      this.id = id;
      this.patch = patch;
    }

    @Override
    public int amended() {
      return amended.get();
    }

    @Override
    public void close() {
      admin
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName("weir-test-" + id)
          .delete();
      holds.remove(id);
    }
  }

  /** Removes every hold's configuration, then stops the server. */
  @Override
  public void close() {
    List.copyOf(holds.values()).forEach(Held::close);
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      var thread = new Thread(r, "weir-test-webhook");
      thread.setDaemon(true);
      return thread;
    };
  }
}
