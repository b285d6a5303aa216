package dev.weir.cli.cluster;

import io.fabric8.kubernetes.client.http.HttpClient;
import java.io.IOException;
import java.util.concurrent.CompletionException;

/**
 * Reads through fabric8's HTTP client, for a connection fabric8's own kubeconfig loader made (exec
 * plugins, auth providers, proxies): its interceptors add the credentials.
 */
final class Fabric8Reads implements ApiReads {

  private final HttpClient http;
  private final String server;

  Fabric8Reads(HttpClient http, String server) {
    this.http = http;
    this.server = server;
  }

  @Override
  public ApiResponse get(String path) throws IOException {
    try {
      var response =
          http.sendAsync(http.newHttpRequestBuilder().uri(server + path).build(), String.class)
              .join();
      return new ApiResponse(response.code(), response.body());
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause() == null ? e : e.getCause());
    }
  }
}
