package dev.weir.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The plugin's reads as an API server sees them: credentials, headers, errors, one connection. */
class BlockingReadsTest {

  private HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> userAgents = new CopyOnWriteArrayList<>();
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          authorizations.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          userAgents.add(exchange.getRequestHeaders().getFirst("User-Agent"));
          clientPorts.add(exchange.getRemoteAddress().getPort());
          boolean missing = exchange.getRequestURI().getPath().endsWith("/nope");
          byte[] body =
              (missing
                      ? "{\"kind\":\"Status\",\"code\":404,\"reason\":\"NotFound\",\"message\":"
                          + "\"rollouts.weir.dev \\\"nope\\\" not found\"}"
                      : "{\"kind\":\"Rollout\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(missing ? 404 : 200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private BlockingReads reads(String token, String username, String password) throws Exception {
    var target =
        new Kubeconfig.Target(
            "ctx", url(), "shop", null, false, null, null, token, username, password, List.of(),
            null);
    return new BlockingReads(url(), SSLContext.getDefault().getSocketFactory(), true, target);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  @Test
  void aBearerTokenOrBasicCredentialsGoWithEveryRead() throws Exception {
    reads("t0ken", null, null).get("apis/weir.dev/v1alpha1");
    reads(null, "admin", "secret").get("apis/weir.dev/v1alpha1");
    reads(null, null, null).get("apis/weir.dev/v1alpha1");

    assertThat(authorizations)
        .containsExactly("Bearer t0ken", "Basic YWRtaW46c2VjcmV0", "null"); // admin:secret
    assertThat(userAgents).allMatch(ua -> ua.startsWith("kubectl-weir/"));
  }

  @Test
  void anErrorIsAnAnswerWithTheServersStatus() throws Exception {
    var answer =
        reads(null, null, null).get("apis/weir.dev/v1alpha1/namespaces/shop/rollouts/nope");

    assertThat(answer.code()).isEqualTo(404);
    assertThat(answer.isSuccessful()).isFalse();
    assertThat(answer.body()).contains("rollouts.weir.dev \\\"nope\\\" not found");
  }

  @Test
  void aCommandsReadsShareOneConnection() throws Exception {
    var reads = reads("t0ken", null, null);
    for (String path :
        List.of(
            "apis/weir.dev/v1alpha1",
            "apis/weir.dev/v1alpha1/namespaces/shop/rollouts/checkout",
            "apis/apps/v1/namespaces/shop/replicasets",
            "apis/weir.dev/v1alpha1/namespaces/shop/rollouts/nope")) {
      reads.get(path);
    }

    assertThat(authorizations).hasSize(4);
    assertThat(clientPorts).as("client ports of the four reads").hasSize(1);
  }
}
