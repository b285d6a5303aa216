package dev.weir.bench;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The timings of the requests one client (Weir's) sends to the mock API server, seen from both
 * ends. On the client, an {@link Interceptor} numbers each request in a header, with the reconcile
 * that sends it (when it is sent from one), and times it from the moment it leaves to the arrival
 * of the answer. On the server, the CRUD dispatcher keeps the body and notes when it answered, and
 * with which code: that is the moment the write was accepted.
 */
final class ApiTimings {

  static final String CALL_HEADER = "X-Weir-Bench-Call";
  static final String RECONCILE_HEADER = "X-Weir-Bench-Reconcile";

  /** One request of the timed client, filled in by both ends. */
  static final class Call {
    final long id;
    final long reconcile;
    final String method;
    final String path;
    final Instant sentAt;
    final long sentNanos;
    volatile long answerNanos;
    volatile Instant answeredAt;
    volatile int clientCode;
    volatile Instant receivedAt;
    volatile Instant acceptedAt;
    volatile int serverCode;
    volatile String body = "";

    Call(long id, long reconcile, String method, String path, Instant sentAt, long sentNanos) {
      this.id = id;
      this.reconcile = reconcile;
      this.method = method;
      this.path = path;
      this.sentAt = sentAt;
      this.sentNanos = sentNanos;
    }

    /** From the request leaving the client to the answer arriving; null if none came. */
    Duration roundTrip() {
      return answerNanos == 0 ? null : Duration.ofNanos(answerNanos - sentNanos);
    }

    boolean answered() {
      return answerNanos != 0;
    }

    boolean isWrite() {
      return !"GET".equals(method);
    }

    /** {@code /apis/GROUP/VERSION/namespaces/NS/PLURAL/NAME/SUB}: the parts after the group. */
    ApiCall.Resource resource() {
      return ApiCall.of(0, "", method, path, new ApiCall.Exchange()).resource();
    }

    /** What it did, in a few words: {@code PUT analysisruns/NAME/status}. */
    String what() {
      var r = resource();
      if (r.plural() == null) {
        return method + " " + path;
      }
      String target = r.plural() + (r.name() == null ? "" : "/" + r.name());
      return method + " " + target + (r.subresource() == null ? "" : "/" + r.subresource());
    }
  }

  private final Clock clock;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Call> calls = new ConcurrentHashMap<>();
  private final List<Call> inOrder = new ArrayList<>();

  ApiTimings(Clock clock) {
    this.clock = clock;
  }

  /** Every timed request, in the order they were sent. */
  List<Call> all() {
    synchronized (inOrder) {
      return List.copyOf(inOrder);
    }
  }

  /** The client end: installed on Weir's client with {@code addOrReplaceInterceptor}. */
  Interceptor interceptor() {
    return new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        long reconcile = ReconcileTracker.current().map(r -> r.id).orElse(0L);
        var call =
            new Call(
                ids.incrementAndGet(),
                reconcile,
                request.method(),
                request.uri().getRawPath(),
                clock.instant(),
                System.nanoTime());
        calls.put(call.id, call);
        synchronized (inOrder) {
          inOrder.add(call);
        }
        builder.setHeader(CALL_HEADER, Long.toString(call.id));
        if (reconcile != 0) {
          builder.setHeader(RECONCILE_HEADER, Long.toString(reconcile));
        }
      }

      @Override
      public void after(
          HttpRequest request,
          HttpResponse<?> response,
          AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        long now = System.nanoTime();
        Call call = callOf(request.header(CALL_HEADER));
        if (call != null && call.answerNanos == 0) {
          call.answeredAt = clock.instant();
          call.answerNanos = now;
          call.clientCode = response.code();
        }
      }
    };
  }

  private Call callOf(String header) {
    if (header == null) {
      return null;
    }
    try {
      return calls.get(Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The server end: the mock API server's CRUD dispatcher, noting what it received and when. */
  final class Dispatcher extends KubernetesCrudDispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      Call call = callOf(request.getHeader(CALL_HEADER));
      if (call != null) {
        call.receivedAt = clock.instant();
        if (request.getBody() != null) {
          call.body = new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
        }
      }
      MockResponse response = super.dispatch(request);
      if (call != null) {
        call.serverCode = response.code();
        call.acceptedAt = clock.instant();
      }
      return response;
    }
  }
}
