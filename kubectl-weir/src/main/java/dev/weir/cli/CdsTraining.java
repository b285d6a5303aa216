package dev.weir.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.weir.cli.view.RolloutTree;
import dev.weir.cli.view.RolloutViews;
import dev.weir.cli.view.Style;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The training run of the plugin's class-data-sharing archive. The launcher runs it once per JDK
 * and set of jars with {@code -XX:ArchiveClassesAtExit}; the classes it loads are then mapped,
 * already parsed and verified, by every later start.
 *
 * <p>To load what a real start loads, it plays a small API server: an HTTPS server on the loopback
 * interface that asks for a client certificate, with a throwaway key pair and certificates made by
 * {@code keytool}, and a kubeconfig pointing at it. Then it runs the plugin's commands against it
 * as a user would: get (tree, JSON, YAML), list, the actions' patches, an error, lint, completion,
 * help. Nothing is printed; nothing outside a temporary folder is touched.
 */
final class CdsTraining {

  private static final String PASSWORD = "kubectl-weir-training";

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("kubectl-weir-cds-");
    try {
      train(dir);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void train(Path dir) throws Exception {
    keytool(dir, "server", "SAN=ip:127.0.0.1");
    keytool(dir, "client", null);
    KeyStore server = load(dir.resolve("server.p12"));
    KeyStore client = load(dir.resolve("client.p12"));
    HttpsServer api = apiServer(server);
    api.start();
    try {
      String url = "https://127.0.0.1:" + api.getAddress().getPort();
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfig(url, server, client));
      Path manifest = dir.resolve("rollout.yaml");
      Files.writeString(manifest, Json.writeYaml(Json.parse(resource("rollout.json"))));
      String kc = kubeconfig.toString();
      for (List<String> command :
          List.of(
              List.of("get", "rollout", "checkout", "-n", "shop", "--kubeconfig", kc),
              List.of("get", "rollout", "checkout", "-n", "shop", "--kubeconfig", kc, "-o", "json"),
              List.of("get", "rollout", "checkout", "-n", "shop", "--kubeconfig", kc, "-o", "yaml"),
              List.of("get", "rollout", "missing", "-n", "shop", "--kubeconfig", kc),
              List.of("list", "rollouts", "-n", "shop", "--kubeconfig", kc),
              List.of("list", "rollouts", "-A", "--kubeconfig", kc),
              List.of("promote", "checkout", "-n", "shop", "--kubeconfig", kc),
              List.of("pause", "checkout", "-n", "shop", "--kubeconfig", kc),
              List.of("set", "image", "checkout", "app=x:1", "-n", "shop", "--kubeconfig", kc),
              List.of("lint", "-f", manifest.toString()),
              List.of("version"),
              List.of("__complete", "pro"),
              List.of("promote", "--help"))) {
        String[] argv = command.toArray(new String[0]);
        Main.startConnecting(argv);
        Main.run(argv, discard(), discard());
      }
      var view =
          RolloutViews.of(
              Json.parse(resource("rollout.json")),
              items(resource("replicasets.json")),
              items(resource("analysisruns.json")));
      RolloutTree.render(view, Style.TERMINAL, Instant.now());
    } finally {
      api.stop(0);
    }
  }

  private static void keytool(Path dir, String name, String extension)
      throws IOException, InterruptedException {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(
        List.of(
            "-genkeypair",
            "-alias",
            name,
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-validity",
            "2",
            "-dname",
            "CN=" + name,
            "-storetype",
            "PKCS12",
            "-keystore",
            dir.resolve(name + ".p12").toString(),
            "-storepass",
            PASSWORD,
            "-keypass",
            PASSWORD));
    if (extension != null) {
      command.addAll(List.of("-ext", extension));
    }
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool failed for " + name);
    }
  }

  private static KeyStore load(Path file) throws Exception {
    var store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private static HttpsServer apiServer(KeyStore keys) throws Exception {
    var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD.toCharArray());
    var tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), new TrustManager[] {new AnyClient()}, null);
    var server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters parameters = tls.getDefaultSSLParameters();
            parameters.setNeedClientAuth(true);
            params.setSSLParameters(parameters);
          }
        });
    server.createContext("/", CdsTraining::answer);
    return server;
  }

  /** Answers as an API server would, from the canned objects of {@code training/}. */
  private static void answer(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().getPath();
    int code = 200;
    String body;
    if (path.equals("/apis/weir.dev/v1alpha1")) {
      body =
          "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"weir.dev/v1alpha1\","
              + "\"resources\":[{\"name\":\"rollouts\",\"namespaced\":true,\"kind\":\"Rollout\","
              + "\"verbs\":[\"get\",\"list\",\"watch\",\"patch\"]}]}";
    } else if (path.endsWith("/rollouts/checkout") || path.endsWith("/rollouts/checkout/status")) {
      body = resource("rollout.json");
    } else if (path.endsWith("/rollouts")) {
      body =
          "{\"apiVersion\":\"weir.dev/v1alpha1\",\"kind\":\"RolloutList\",\"metadata\":{},\"items\":["
              + resource("rollout.json")
              + "]}";
    } else if (path.endsWith("/replicasets")) {
      body = resource("replicasets.json");
    } else if (path.endsWith("/analysisruns")) {
      body = resource("analysisruns.json");
    } else {
      code = 404;
      String name = path.substring(path.lastIndexOf('/') + 1);
      body =
          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
              + "\"message\":\"rollouts.weir.dev \\\""
              + name
              + "\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\""
              + name
              + "\",\"group\":\"weir.dev\",\"kind\":\"rollouts\"},\"code\":404}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static String kubeconfig(String url, KeyStore server, KeyStore client) throws Exception {
    var ca = (X509Certificate) server.getCertificate("server");
    var cert = (X509Certificate) client.getCertificate("client");
    var key = client.getKey("client", PASSWORD.toCharArray());
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: Config",
        "current-context: training",
        "clusters:",
        "- name: training",
        "  cluster:",
        "    server: " + url,
        "    certificate-authority-data: " + base64(pem("CERTIFICATE", ca.getEncoded())),
        "users:",
        "- name: training",
        "  user:",
        "    client-certificate-data: " + base64(pem("CERTIFICATE", cert.getEncoded())),
        "    client-key-data: " + base64(pem("PRIVATE KEY", key.getEncoded())),
        "contexts:",
        "- name: training",
        "  context: {cluster: training, user: training, namespace: shop}",
        "");
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = CdsTraining.class.getResourceAsStream("training/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<com.fasterxml.jackson.databind.JsonNode> items(String list) {
    var items = new ArrayList<com.fasterxml.jackson.databind.JsonNode>();
    Json.parse(list).path("items").forEach(items::add);
    return items;
  }

  private static PrintWriter discard() {
    return new PrintWriter(Writer.nullWriter());
  }

  /** The training server takes any client certificate: it only has to ask for one. */
  private static final class AnyClient implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
