package dev.weir.cli.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The reads of a command on the JDK's blocking {@link HttpURLConnection}, each made on the calling
 * thread over one kept-alive connection.
 *
 * <p>Why not the JDK's {@code java.net.http} client that fabric8 uses: that client keeps a selector
 * thread blocked in native code for its whole life, and a JVM that exits waits up to 300 ms for
 * threads in native code to settle; a command that only reads would spend half its run waiting to
 * exit. A blocking connection leaves no thread behind (the keep-alive timer sleeps in Java), and
 * loads a few dozen classes where the other loads some three hundred.
 */
final class BlockingReads implements ApiReads {

  private static final int CONNECT_TIMEOUT_MS = 10_000;
  private static final int READ_TIMEOUT_MS = 30_000;

  private final String server;
  private final SSLSocketFactory tls;
  private final boolean verifyHostName;
  private final String authorization;

  /**
   * @param server the API server's URL, ending with a slash
   * @param tls the kubeconfig's CA and client certificate; unused for an {@code http://} server
   * @param verifyHostName false when the kubeconfig says {@code insecure-skip-tls-verify}
   */
  BlockingReads(String server, SSLSocketFactory tls, boolean verifyHostName, Kubeconfig.Target t) {
    this.server = server;
    this.tls = tls;
    this.verifyHostName = verifyHostName;
    this.authorization = authorization(t);
  }

  private static String authorization(Kubeconfig.Target t) {
    if (t.token() != null) {
      return "Bearer " + t.token();
    }
    if (t.username() != null && t.password() != null) {
      byte[] pair = (t.username() + ":" + t.password()).getBytes(StandardCharsets.UTF_8);
      return "Basic " + Base64.getEncoder().encodeToString(pair);
    }
    return null;
  }

  @Override
  public ApiResponse get(String path) throws IOException {
    // No proxy, as for the fabric8 client of the lean path: a kubeconfig's proxy-url is delegated.
    var connection = (HttpURLConnection) new URL(server + path).openConnection(Proxy.NO_PROXY);
    if (connection instanceof HttpsURLConnection https) {
      // One factory for every read: the keep-alive cache reuses a connection made by the same one.
      https.setSSLSocketFactory(tls);
      if (!verifyHostName) {
        https.setHostnameVerifier((host, session) -> true);
      }
    }
    connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
    connection.setReadTimeout(READ_TIMEOUT_MS);
    connection.setRequestProperty("Accept", "application/json");
    connection.setRequestProperty("User-Agent", Cluster.USER_AGENT);
    if (authorization != null) {
      connection.setRequestProperty("Authorization", authorization);
    }
    int code = connection.getResponseCode();
    InputStream in = code >= 400 ? connection.getErrorStream() : connection.getInputStream();
    // Read to the end and close: only then does the connection go back for the next read.
    return new ApiResponse(code, in == null ? null : readFully(in));
  }

  private static String readFully(InputStream in) throws IOException {
    try (in) {
      var out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
