package dev.weir.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy in front of the real Prometheus that answers as a test tells it: passing
 * every request through, or failing each in one of the ways a metrics backend fails in production
 * (an internal error, an answer slower than the query timeout, a body that is not Prometheus'
 * JSON). Switched at any moment; each request is answered as the proxy is set when it arrives.
 */
public final class PrometheusFaults implements AutoCloseable {

  /** How the proxy answers. */
  public enum Answer {
    /** What Prometheus answers. */
    PASS,
    /** HTTP 500 with Prometheus' error JSON, as an overloaded or failing server answers. */
    ERROR_500,
    /** Nothing until the proxy is switched back (at most a minute), then what Prometheus says. */
    SLOW,
    /** HTTP 200 with JSON cut short, as a proxy that drops the end of a body answers. */
    GARBAGE
  }

  private static final Duration MOST_SLOWNESS = Duration.ofMinutes(1);

  private final HttpServer server;
  private final ExecutorService threads;
  private final URI prometheus;
  private final HttpClient client = HttpClient.newHttpClient();
  private final Map<Answer, AtomicInteger> answered = new EnumMap<>(Answer.class);
  private volatile Answer answer = Answer.PASS;

  private PrometheusFaults(HttpServer server, ExecutorService threads, URI prometheus) {
    this.server = server;
    this.threads = threads;
    this.prometheus = prometheus;
    for (Answer a : Answer.values()) {
      answered.put(a, new AtomicInteger());
    }
  }

  /** A proxy on a free loopback port in front of {@code prometheus}, passing everything through. */
  public static PrometheusFaults before(URI prometheus) {
    try {
      var server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      // Slow answers hold their thread: one per request, as many as the clients open.
      ExecutorService threads = Executors.newCachedThreadPool();
      var proxy = new PrometheusFaults(server, threads, prometheus);
      server.createContext("/", proxy::handle);
      server.setExecutor(threads);
      server.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:PORT}, the address Weir is given for Prometheus. */
  public String address() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers every request from now on as said. */
  public void answer(Answer answer) {
    this.answer = answer;
  }

  /** How many requests arrived while the proxy answered this way. */
  public int answered(Answer answer) {
    return answered.get(answer).get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    Answer now = answer;
    // Counted as it arrives: a slow answer's client has usually given up before it is sent.
    answered.get(now).incrementAndGet();
    try (exchange) {
      switch (now) {
        case ERROR_500 ->
            send(
                exchange,
                500,
                "{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"injected failure\"}");
        case GARBAGE ->
            send(
                exchange,
                200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"met");
        case SLOW -> {
          awaitSwitchedFrom(Answer.SLOW);
          pass(exchange);
        }
        default -> pass(exchange);
      }
    } catch (IOException e) {
      // The client gave up (its timeout): what a slow answer is for.
    }
  }

  private void awaitSwitchedFrom(Answer slow) {
    long end = System.nanoTime() + MOST_SLOWNESS.toNanos();
    while (answer == slow && System.nanoTime() < end) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void pass(HttpExchange exchange) throws IOException {
    var uri = prometheus.resolve(exchange.getRequestURI().toString());
    byte[] body = exchange.getRequestBody().readAllBytes();
    var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null) {
      request.header("Content-Type", type);
    }
    request.method(
        exchange.getRequestMethod(),
        body.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } catch (IOException e) {
      send(exchange, 502, "{\"status\":\"error\",\"error\":\"prometheus unreachable\"}");
      return;
    }
    response
        .headers()
        .firstValue("Content-Type")
        .ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
    exchange.sendResponseHeaders(response.statusCode(), response.body().length);
    exchange.getResponseBody().write(response.body());
  }

  private static void send(HttpExchange exchange, int code, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    answer = Answer.PASS;
    server.stop(0);
    threads.shutdownNow();
  }
}
