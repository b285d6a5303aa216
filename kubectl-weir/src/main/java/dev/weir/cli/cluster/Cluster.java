package dev.weir.cli.cluster;

import dev.weir.api.WellKnownNames;
import dev.weir.cli.CliException;
import dev.weir.cli.Json;
import dev.weir.cli.Trace;
import dev.weir.cli.Version;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The connection to the cluster a command talks to: the kubeconfig target, its reads, a fabric8
 * client for patches and watches, and the namespace.
 *
 * <p>Reading the kubeconfig, building the HTTP client and the first TLS handshake take most of a
 * cold start, so {@link dev.weir.cli.Main} starts them on a thread of their own from the raw
 * arguments while picocli parses them; the command picks up the connection under way ({@link
 * #open}). Reads go through a blocking connection ({@link BlockingReads}, which says why not
 * fabric8's client); the fabric8 client, whose construction costs a cold JVM a tenth of a second
 * more, is built only for the commands that patch or watch.
 */
public final class Cluster implements AutoCloseable {

  static final String USER_AGENT = "kubectl-weir/" + Version.get();

  private static volatile Cluster early;

  private final String kubeconfig;
  private final String context;
  private final CompletableFuture<Kubeconfig.Target> target = new CompletableFuture<>();
  private final CompletableFuture<Connected> connection = new CompletableFuture<>();
  private KubernetesClient client;

  /**
   * @param server the API server's URL, ending with a slash
   * @param reads the commands' GETs
   * @param discovery the answer to {@code GET /apis/weir.dev/v1alpha1} (which of Weir's resources
   *     the server serves), or null when the request failed
   * @param fabric8 builds the fabric8 client when first needed
   */
  private record Connected(
      String server, ApiReads reads, ApiResponse discovery, Supplier<KubernetesClient> fabric8) {}

  private Cluster(String kubeconfig, String context, Map<String, String> env) {
    this.kubeconfig = kubeconfig;
    this.context = context;
    TlsWarmUp.start();
    var thread =
        new Thread(
            () -> {
              try {
                var resolved = Kubeconfig.resolve(kubeconfig, context, env);
                Trace.mark("kubeconfig read");
                target.complete(resolved);
                connection.complete(connect(resolved, kubeconfig, context));
              } catch (Throwable t) {
                target.completeExceptionally(t);
                connection.completeExceptionally(t);
              }
            },
            "kubectl-weir-connect");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts connecting before the arguments are parsed; {@link #open} picks it up. */
  public static void startEarly(String kubeconfig, String context) {
    early = new Cluster(kubeconfig, context, System.getenv());
  }

  /** The connection for these flags: the one started early if it was for the same flags. */
  public static Cluster open(String kubeconfig, String context) {
    Cluster started = early;
    if (started != null
        && Objects.equals(started.kubeconfig, kubeconfig)
        && Objects.equals(started.context, context)) {
      return started;
    }
    return new Cluster(kubeconfig, context, System.getenv());
  }

  Kubeconfig.Target target() {
    return join(target);
  }

  /** The API server's URL, ending with a slash. */
  String server() {
    return join(connection).server;
  }

  /** The fabric8 client, for patches and watches; built on first use. */
  synchronized KubernetesClient client() {
    if (client == null) {
      client = join(connection).fabric8.get();
    }
    return client;
  }

  /** {@code -n}, else the context's namespace, else {@code default}. */
  public String namespace(String flag) {
    if (flag != null && !flag.isEmpty()) {
      return flag;
    }
    var t = target();
    String ns = t.delegated() ? client().getNamespace() : t.namespace();
    return ns == null || ns.isEmpty() ? "default" : ns;
  }

  /**
   * Whether the API server serves this resource of weir.dev/v1alpha1 ({@code analysisruns}, say);
   * true when that could not be told.
   */
  boolean serves(String resource) {
    var discovery = join(connection).discovery;
    if (discovery == null
        || discovery.body() == null
        || (!discovery.isSuccessful() && discovery.code() != 404)) {
      return true;
    }
    if (discovery.code() == 404) {
      return false;
    }
    Set<String> names = new HashSet<>();
    Json.parse(discovery.body()).path("resources").forEach(r -> names.add(r.path("name").asText()));
    return names.contains(resource);
  }

  /**
   * GETs a path of the API server ({@code apis/...}) and returns the body.
   *
   * @throws KubernetesClientException with the server's Status when it answers with an error, or
   *     with the cause when it cannot be reached
   */
  public String get(String path) {
    var c = join(connection);
    ApiResponse response;
    try {
      response = c.reads.get(path);
    } catch (IOException e) {
      throw new KubernetesClientException("GET " + path + " failed", e);
    }
    if (response.isSuccessful()) {
      return response.body();
    }
    Status status = null;
    String body = response.body();
    if (body != null && body.trim().startsWith("{")) {
      try {
        status = Json.bind(Json.parse(body), Status.class);
      } catch (RuntimeException e) {
        // not a Status: the code says enough
      }
    }
    throw new KubernetesClientException(
        status != null && status.getMessage() != null ? status.getMessage() : "GET " + path,
        response.code(),
        status);
  }

  /** The line to show for a failed request, kubectl style. */
  String describe(Throwable error) {
    return KubeErrors.describe(error, target().hostPort());
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.error("interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CliException cli) {
        throw cli;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static Connected connect(Kubeconfig.Target target, String kubeconfig, String context) {
    if (!target.delegated()) {
      try {
        return lean(target);
      } catch (ClientTls.UnsupportedPem e) {
        // An encrypted key, say: fabric8's loader knows more formats.
      }
    }
    String file =
        kubeconfig != null || target.files().size() != 1
            ? kubeconfig
            : target.files().get(0).toString();
    KubernetesClient client = delegated(file, context == null ? target.context() : context);
    var reads = new Fabric8Reads(client.getHttpClient(), client.getMasterUrl().toString());
    return new Connected(client.getMasterUrl().toString(), reads, discover(reads), () -> client);
  }

  /**
   * The kubeconfig's own TLS material and credentials, for blocking reads and, when a command
   * patches or watches, fabric8's HTTP client for the JDK. The TLS handshake, the longest step of a
   * cold start, is made right away with a request worth making anyway: which of Weir's resources
   * the API server serves.
   */
  private static Connected lean(Kubeconfig.Target target) throws ClientTls.UnsupportedPem {
    TrustManager[] trust;
    KeyManager[] keys;
    try {
      trust =
          ClientTls.trustManagers(target.certificateAuthority(), target.insecureSkipTlsVerify());
      keys = ClientTls.keyManagers(target.clientCertificate(), target.clientKey());
    } catch (java.security.GeneralSecurityException e) {
      throw CliException.error(
          "unable to load the TLS material of context \""
              + target.context()
              + "\": "
              + e.getMessage());
    }
    SSLContext tls;
    try {
      tls = SSLContext.getInstance("TLS");
      tls.init(keys, trust, null);
    } catch (java.security.GeneralSecurityException e) {
      throw CliException.error("unable to set up TLS: " + e.getMessage());
    }
    if (target.insecureSkipTlsVerify()) {
      // The JDK's HTTP client checks host names unless this is set before its first use.
      System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
    }
    String server = target.server().endsWith("/") ? target.server() : target.server() + "/";
    // trustCerts only keeps fabric8 from building a trust store of its own (slow): the SSL
    // context set below replaces whatever it builds, and trusts exactly what kubectl trusts.
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(server)
            .withTrustCerts(true)
            .withOauthToken(target.token())
            .withUsername(target.username())
            .withPassword(target.password())
            .withNamespace(target.namespace())
            .withUserAgent(USER_AGENT)
            .withRequestRetryBackoffLimit(0)
            // HTTP/1.1: a command makes a few short requests; HTTP/2's setup costs more than it
            // saves in a cold JVM.
            .withHttp2Disable(true)
            .build();
    var reads =
        new BlockingReads(server, tls.getSocketFactory(), !target.insecureSkipTlsVerify(), target);
    var discovery = discover(reads);
    Trace.mark("connected");
    Supplier<KubernetesClient> fabric8 =
        () -> {
          HttpClient.Builder builder = HttpClientUtils.getHttpClientFactory().newBuilder(config);
          builder.sslContext(keys, trust);
          return new KubernetesClientBuilder()
              .withConfig(config)
              .withHttpClientFactory(new Sharing(builder.build()))
              .build();
        };
    return new Connected(server, reads, discovery, fabric8);
  }

  private static ApiResponse discover(ApiReads reads) {
    try {
      return reads.get("apis/" + WellKnownNames.API_VERSION);
    } catch (IOException | RuntimeException e) {
      // The command's own request fails again and says why.
      return null;
    }
  }

  /** Exec plugins, auth providers, proxies: fabric8's loader reads the kubeconfig itself. */
  private static KubernetesClient delegated(String kubeconfig, String context) {
    if (kubeconfig != null) {
      System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig);
    }
    Config config = Config.autoConfigure(context);
    config.setRequestRetryBackoffLimit(0);
    config.setUserAgent(USER_AGENT);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A factory whose clients share one HTTP client: its connections and TLS sessions. */
  private static final class Sharing implements HttpClient.Factory {
    private final HttpClient http;

    Sharing(HttpClient http) {
      this.http = http;
    }

    @Override
    public HttpClient.Builder newBuilder(Config config) {
      return newBuilder();
    }

    @Override
    public HttpClient.Builder newBuilder() {
      return (HttpClient.Builder) http.newBuilder();
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
  }
}
