package dev.weir.observability;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;

/**
 * Counts the controller's requests to the Kubernetes API server by verb and status code ({@code
 * weir_kubernetes_api_requests_total}). The verb is the HTTP method, with a watch told apart from a
 * read; a request that got no answer counts with code {@code error}.
 */
public final class ApiRequestCounter implements Interceptor {

  public static final String NAME = "weir-api-requests";

  private final WeirMetrics metrics;

  public ApiRequestCounter(WeirMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    metrics.apiRequest(verb(request), Integer.toString(response.code()));
  }

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    metrics.apiRequest(verb(request), "error");
  }

  static String verb(HttpRequest request) {
    String query = request.uri().getRawQuery();
    if ("GET".equals(request.method()) && query != null && query.contains("watch=true")) {
      return "WATCH";
    }
    return request.method().toUpperCase(Locale.ROOT);
  }
}
