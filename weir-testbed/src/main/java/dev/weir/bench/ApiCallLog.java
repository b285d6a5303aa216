package dev.weir.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Every request the mock API server recorded, in the order it recorded them. The server queues each
 * request it receives; the log drains that queue whenever it is asked something, so a position in
 * the log ({@link #mark}) is a cut between what the server had received before and after.
 */
final class ApiCallLog {

  private final KubernetesMockServer server;
  private final RecordingDispatcher dispatcher;
  private final List<ApiCall> calls = new ArrayList<>();
  private long lastActivity = System.nanoTime();

  ApiCallLog(KubernetesMockServer server, RecordingDispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
  }

  /**
   * The CRUD dispatcher, keeping what the server's record of a request lacks: a copy of its body
   * (the server records the request object it dispatches, and dispatching consumes the body) and
   * the status code of the answer.
   */
  static final class RecordingDispatcher extends KubernetesCrudDispatcher {

    private final Map<RecordedRequest, ApiCall.Exchange> exchanges =
        Collections.synchronizedMap(new IdentityHashMap<>());

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      var exchange = exchangeOf(request);
      if (request.getBody() != null) {
        exchange.body = request.getBody().getBytes();
      }
      MockResponse response = super.dispatch(request);
      exchange.code = response.code();
      // Nothing to keep once both the log and the answer have it.
      if (exchange.drained) {
        exchanges.remove(request);
      }
      return response;
    }

    /** The exchange of a request, with its body as it arrived, dispatched yet or not. */
    ApiCall.Exchange drain(RecordedRequest request) {
      var exchange = exchangeOf(request);
      byte[] bytes = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
      if (bytes.length > 0) {
        exchange.body = bytes;
      }
      exchange.drained = true;
      if (exchange.code != 0) {
        exchanges.remove(request);
      }
      return exchange;
    }

    private ApiCall.Exchange exchangeOf(RecordedRequest request) {
      return exchanges.computeIfAbsent(request, r -> new ApiCall.Exchange());
    }
  }

  /** The position after everything the server has received so far. */
  synchronized int mark() {
    drain();
    return calls.size();
  }

  synchronized List<ApiCall> between(int from, int to) {
    return List.copyOf(calls.subList(from, to));
  }

  /** How many calls since {@code from} match. */
  synchronized long countSince(int from, Predicate<ApiCall> which) {
    drain();
    return calls.subList(from, calls.size()).stream().filter(which).count();
  }

  /**
   * True when neither Weir nor the kubelet fixture has sent anything for {@code quiet}: the
   * controller has nothing left to do (the script's own reads do not count).
   */
  synchronized boolean quietFor(Duration quiet) {
    drain();
    return System.nanoTime() - lastActivity >= quiet.toNanos();
  }

  private void drain() {
    try {
      RecordedRequest request;
      while ((request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
        var call =
            ApiCall.of(
                calls.size(),
                request.getHeader("User-Agent"),
                request.getMethod(),
                request.getPath(),
                dispatcher.drain(request));
        calls.add(call);
        if (call.party() != ApiCall.Party.SCRIPT) {
          lastActivity = System.nanoTime();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
