package dev.weir.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An outside service that receives notifications: a real HTTP server on loopback (the JDK's) that
 * records every request it gets (method, path, headers, body) and answers as the story scripts it:
 * 200 by default, or an error, or no answer at all (it holds the request until it is closed), with
 * a body when the service it plays says something (Slack's Web API: {@code {"ok": false}}).
 */
public final class RecordingReceiver implements AutoCloseable {

  /** What a request carried and what it was answered (0: never answered). */
  public record Received(
      String method, String path, Map<String, String> headers, String body, int answered) {

    /** A header, by its name in any case; null when absent. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public boolean accepted() {
      return answered >= 200 && answered < 300;
    }
  }

  /** No answer: the request is held until the receiver closes. */
  public static final int HANG = 0;

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(daemon());
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Deque<Answer> script = new ArrayDeque<>();
  private Answer byDefault = new Answer(200, "");
  private final List<Received> received = new ArrayList<>();

  private RecordingReceiver(HttpServer server) {
    this.server = server;
  }

  /** A receiver on a free port of {@code host} (127.0.0.1, or another loopback address). */
  public static RecordingReceiver start(String host) {
    try {
      var receiver = new RecordingReceiver(HttpServer.create(new InetSocketAddress(host, 0), 0));
      receiver.server.createContext("/", receiver::handle);
      receiver.server.setExecutor(receiver.threads);
      receiver.server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RecordingReceiver start() {
    return start("127.0.0.1");
  }

  /** The URL of a path on this receiver, e.g. {@code url("/hooks/weir")}. */
  public String url(String path) {
    return "http://"
        + server.getAddress().getHostString()
        + ":"
        + server.getAddress().getPort()
        + path;
  }

  /** The address, as an operator allows it: {@code http://HOST:PORT}. */
  public String address() {
    return url("");
  }

  /**
   * Scripts the answers to the next requests, in order (an HTTP status, or {@link #HANG}); later
   * requests are answered 200.
   */
  public synchronized void answerNext(int... answers) {
    for (int answer : answers) {
      script.add(new Answer(answer, ""));
    }
  }

  /** An HTTP status and the body that goes with it. */
  public record Answer(int status, String body) {}

  /** Scripts the answers to the next requests, with their bodies. */
  public synchronized void answerNext(Answer... answers) {
    script.addAll(List.of(answers));
  }

  /** What every request beyond the script is answered (200 with no body unless said). */
  public synchronized void answerByDefault(Answer answer) {
    byDefault = answer;
  }

  /** The requests received at a path, in order. */
  public List<Received> receivedAt(String path) {
    return received().stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Forgets the answers scripted and not yet given: every later request is answered 200. */
  public synchronized void clearScript() {
    script.clear();
  }

  /** Every request received so far, in order. */
  public synchronized List<Received> received() {
    return List.copyOf(received);
  }

  /** The requests answered with a 2xx. */
  public List<Received> accepted() {
    return received().stream().filter(Received::accepted).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      var headers = new TreeMap<String, String>();
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
      Answer answer;
      synchronized (this) {
        answer = script.isEmpty() ? byDefault : script.poll();
        received.add(
            new Received(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(),
                Map.copyOf(headers),
                body,
                answer.status()));
      }
      if (answer.status() == HANG) {
        closing.await();
        return;
      }
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      if (bytes.length > 0) {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
      }
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      var thread = new Thread(r, "recording-receiver");
      thread.setDaemon(true);
      return thread;
    };
  }
}
