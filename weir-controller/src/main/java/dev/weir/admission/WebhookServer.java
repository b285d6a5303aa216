package dev.weir.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.jboss.logging.Logger;

/**
 * The validating admission webhook: the API server POSTs an AdmissionReview to {@code /validate}
 * over TLS, and gets it back allowed, or refused with the problems that name the field. Served
 * apart from the health and metrics ports, by every replica (the API server may call any of them),
 * with the certificate {@link RotatingKeyManager} holds. A request it cannot read is refused with a
 * 400; a failure of Weir's own answers 500, and the webhook's failurePolicy decides.
 */
public final class WebhookServer implements AutoCloseable {

  static final String PATH = "/validate";
  private static final Logger LOG = Logger.getLogger(WebhookServer.class);
  private static final int MAX_REVIEW_BYTES = 3 * 1024 * 1024;

  private final HttpsServer server;
  private final ExecutorService threads;

  private WebhookServer(HttpsServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /** Serves on {@code host:port} (0: a free port) with the certificates the key manager holds. */
  public static WebhookServer start(String host, int port, RotatingKeyManager certificates) {
    try {
      var tls = SSLContext.getInstance("TLS");
      tls.init(new KeyManager[] {certificates}, null, null);
      var server = HttpsServer.create(new InetSocketAddress(host, port), 64);
      server.setHttpsConfigurator(new HttpsConfigurator(tls));
      server.createContext(PATH, WebhookServer::review);
      var threads =
          Executors.newFixedThreadPool(
              2,
              r -> {
                var thread = new Thread(r, "weir-webhook");
                thread.setDaemon(true);
                return thread;
              });
      server.setExecutor(threads);
      server.start();
      return new WebhookServer(server, threads);
    } catch (IOException e) {
      throw new UncheckedIOException("the webhook cannot listen on " + host + ":" + port, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the webhook's TLS cannot be set up", e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void review(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "{\"message\":\"POST an AdmissionReview\"}");
        return;
      }
      AdmissionReview review;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readNBytes(MAX_REVIEW_BYTES + 1);
        if (body.length > MAX_REVIEW_BYTES) {
          send(exchange, 413, "{\"message\":\"AdmissionReview too large\"}");
          return;
        }
        review = Serialization.jsonMapper().readValue(body, AdmissionReview.class);
      } catch (IOException e) {
        send(exchange, 400, "{\"message\":\"not an AdmissionReview\"}");
        return;
      }
      if (review.getRequest() == null) {
        send(exchange, 400, "{\"message\":\"an AdmissionReview without a request\"}");
        return;
      }
      try {
        send(exchange, 200, Serialization.asJson(answer(review)));
      } catch (RuntimeException e) {
        LOG.errorf(e, "admission review %s failed", review.getRequest().getUid());
        send(exchange, 500, "{\"message\":\"the review failed\"}");
      }
    }
  }

  /** The review answered: allowed, or refused with every problem. */
  static AdmissionReview answer(AdmissionReview review) {
    var request = review.getRequest();
    String kind = request.getKind() == null ? "" : request.getKind().getKind();
    JsonNode object = Serialization.jsonMapper().valueToTree(request.getObject());
    List<SpecProblem> problems = AdmissionCheck.problems(kind, object);
    var response = new AdmissionResponse();
    response.setUid(request.getUid());
    response.setAllowed(problems.isEmpty());
    if (problems.isEmpty()) {
      var warnings = AdmissionCheck.warnings(kind, object);
      if (!warnings.isEmpty()) {
        response.setWarnings(warnings);
      }
    }
    if (!problems.isEmpty()) {
      response.setStatus(
          new StatusBuilder()
              .withCode(422)
              .withReason("Invalid")
              .withMessage(AdmissionCheck.message(kind, problems))
              .build());
    }
    var answer = new AdmissionReview();
    answer.setApiVersion(review.getApiVersion());
    answer.setKind(review.getKind());
    answer.setResponse(response);
    return answer;
  }

  private static void send(HttpExchange exchange, int code, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
