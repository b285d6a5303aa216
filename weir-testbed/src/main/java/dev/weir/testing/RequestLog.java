package dev.weir.testing;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The requests a client sent and the status codes the API server answered, seen from inside the
 * client (a fabric8 {@link Interceptor}); optionally runs something just before a chosen request is
 * sent, to change the server's state between a controller's read and its write.
 */
public final class RequestLog implements Interceptor {

  /** One answered request: {@code PATCH /apis/weir.dev/v1alpha1/.../status -> 409}. */
  public record Request(String method, String path, int code) {

    public boolean isWrite() {
      return !method.equals("GET");
    }

    @Override
    public String toString() {
      return method + " " + path + " -> " + code;
    }
  }

  private final List<Request> requests = new ArrayList<>();
  private volatile Consumer<HttpRequest> beforeSend = request -> {};

  /** Runs {@code action} in the sending thread before each request, until replaced. */
  public void beforeSend(Consumer<HttpRequest> action) {
    this.beforeSend = action;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    beforeSend.accept(request);
  }

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    synchronized (requests) {
      requests.add(new Request(request.method(), request.uri().getPath(), response.code()));
    }
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }
}
