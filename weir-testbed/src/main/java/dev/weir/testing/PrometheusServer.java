package dev.weir.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The real Prometheus server for the tests: Debian's {@code /usr/bin/prometheus} (package {@code
 * prometheus}) on a free loopback port, with its configuration and TSDB in a temporary folder,
 * scraping the targets the test names every second.
 *
 * <pre>{@code
 * try (var prometheus = PrometheusServer.start(List.of(exporter.target()))) {
 *   prometheus.awaitTargetsUp();
 *   prometheus.awaitSeries("checkout_error_ratio");
 *   ... query prometheus.address() ...
 * }
 * }</pre>
 *
 * <p>It can also serve TLS with a self-signed certificate and ask for basic authentication, with
 * Prometheus' own web configuration ({@code --web.config.file}: {@code tls_server_config}, {@code
 * basic_auth_users} with bcrypt hashes).
 *
 * <p>If the binary is missing or the server does not get ready, {@link Builder#start()} throws with
 * the tail of its log: the tests fail, they are never skipped. A shutdown hook stops the server
 * when the JVM ends, and a watchdog process does the same if the JVM is killed without its hooks.
 *
 * <p>Prometheus 2.42 hands discovered targets to its scrape loops at most every five seconds, so
 * the first scrape comes about five seconds after start: {@link #awaitTargetsUp()} waits for it.
 */
public final class PrometheusServer implements AutoCloseable {

  /** {@code -Dweir.prometheus.binary=/path/to/prometheus} to test another build. */
  public static final String BINARY_PROPERTY = "weir.prometheus.binary";

  public static final String DEFAULT_BINARY = "/usr/bin/prometheus";

  public static final String DEFAULT_JOB = "weir-test";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  /** Five seconds of discovery throttling, then a scrape every second; generous on a busy CI. */
  private static final Duration TARGETS_TIMEOUT = Duration.ofSeconds(40);

  private static final Duration SERIES_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration POLL = Duration.ofMillis(200);

  /** The cheapest cost bcrypt allows: the tests check the password, not bcrypt's strength. */
  private static final int BCRYPT_COST = 4;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path binary;
  private final Path dir;
  private final int port;
  private final String job;
  private final int targetCount;
  private final Optional<SelfSignedCertificate> tls;
  private final Optional<String[]> credentials;
  private final Optional<Path[]> clientAuthentication;
  private final Thread shutdownHook;
  private Process process;

  private PrometheusServer(Builder builder, Path binary, Path dir, int port) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
    this.job = builder.job;
    this.targetCount = builder.targets.size();
    this.tls = builder.tls;
    this.credentials =
        builder.users.entrySet().stream()
            .findFirst()
            .map(user -> new String[] {user.getKey(), user.getValue()});
    this.clientAuthentication = builder.clientAuthentication;
    this.shutdownHook = new Thread(this::close, "weir-prometheus-stop");
  }

  /** Scrapes the targets ({@code host:port}) at {@code /metrics} as job {@value #DEFAULT_JOB}. */
  public static PrometheusServer start(List<String> targets) {
    return builder().targets(targets).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What the server scrapes and how it is reached. */
  public static final class Builder {
    private final List<String> targets = new ArrayList<>();
    private String job = DEFAULT_JOB;
    private String metricsPath = "/metrics";
    private List<String> subjectAltNames;
    private Optional<SelfSignedCertificate> tls = Optional.empty();
    private final Map<String, String> users = new LinkedHashMap<>();
    private Optional<Path[]> clientAuthentication = Optional.empty();
    private Path binary = Path.of(System.getProperty(BINARY_PROPERTY, DEFAULT_BINARY));

    private Builder() {}

    /**
     * The Prometheus binary; {@value #DEFAULT_BINARY} unless {@code -D}{@value #BINARY_PROPERTY}.
     */
    public Builder binary(Path binary) {
      this.binary = binary;
      return this;
    }

    /** Scrape targets, {@code host:port}. */
    public Builder targets(List<String> targets) {
      this.targets.addAll(targets);
      return this;
    }

    public Builder job(String job) {
      this.job = job;
      return this;
    }

    public Builder metricsPath(String metricsPath) {
      this.metricsPath = metricsPath;
      return this;
    }

    /** Serve HTTPS with a self-signed certificate for {@code localhost} and {@code 127.0.0.1}. */
    public Builder tls() {
      return tls(List.of("DNS:localhost", "IP:127.0.0.1"));
    }

    /**
     * Serve HTTPS with a self-signed certificate for these names, in openssl's spelling ({@code
     * DNS:prometheus.example}): a certificate for another host tests host-name verification.
     */
    public Builder tls(List<String> subjectAltNames) {
      this.subjectAltNames = List.copyOf(subjectAltNames);
      return this;
    }

    /**
     * Serve HTTPS with this certificate and key (PEM), e.g. issued by a {@link
     * CertificateAuthority}; the fixture's own requests trust exactly this certificate.
     */
    public Builder tls(Path certificate, Path key) {
      this.subjectAltNames = null;
      this.tls = Optional.of(new SelfSignedCertificate(certificate, key));
      return this;
    }

    /**
     * Ask every client for a certificate issued by {@code clientCa} (Prometheus' {@code
     * client_auth_type: RequireAndVerifyClientCert}): a client without one gets no TLS session. The
     * fixture's own requests present {@code certificate} and {@code key}. Needs TLS.
     */
    public Builder requireClientCertificates(Path clientCa, Path certificate, Path key) {
      this.clientAuthentication = Optional.of(new Path[] {clientCa, certificate, key});
      return this;
    }

    /** Ask for basic authentication; the server keeps only a bcrypt hash of the password. */
    public Builder basicAuth(String user, String password) {
      users.put(user, password);
      return this;
    }

    /** Starts the server and waits until it answers {@code /-/ready}. */
    public PrometheusServer start() {
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(
            "no Prometheus server for the tests: "
                + binary
                + " is missing. Install Debian's package 'prometheus' (apt-get install"
                + " prometheus; .ci/run does), or point -D"
                + BINARY_PROPERTY
                + " at a Prometheus 2.x binary.");
      }
      Path dir;
      try {
        dir = Files.createTempDirectory("weir-prometheus-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (subjectAltNames != null) {
        tls = Optional.of(SelfSignedCertificate.create(dir, subjectAltNames));
      }
      writeConfig(dir);
      // Another process may take the free port before Prometheus binds it: try another one.
      for (int attempt = 1; ; attempt++) {
        var server = new PrometheusServer(this, binary, dir, freePort());
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        server.startWatchdog();
        try {
          server.launch();
          return server;
        } catch (IllegalStateException e) {
          boolean portTaken = server.logTail(20).contains("address already in use");
          server.kill();
          if (!portTaken || attempt == 3) {
            server.close();
            throw e;
          }
          Runtime.getRuntime().removeShutdownHook(server.shutdownHook);
        }
      }
    }

    private void writeConfig(Path dir) {
      var config = new StringBuilder();
      config.append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
      config.append("scrape_configs:\n");
      config.append("  - job_name: ").append(quoted(job)).append('\n');
      config.append("    metrics_path: ").append(quoted(metricsPath)).append('\n');
      config.append("    static_configs:\n      - targets: [");
      config.append(String.join(", ", targets.stream().map(PrometheusServer::quoted).toList()));
      config.append("]\n");
      var web = new StringBuilder();
      tls.ifPresent(
          certificate ->
              web.append("tls_server_config:\n")
                  .append("  cert_file: ")
                  .append(quoted(certificate.certificate().toString()))
                  .append("\n  key_file: ")
                  .append(quoted(certificate.key().toString()))
                  .append('\n'));
      clientAuthentication.ifPresent(
          client ->
              web.append("  client_auth_type: RequireAndVerifyClientCert\n")
                  .append("  client_ca_file: ")
                  .append(quoted(client[0].toString()))
                  .append('\n'));
      if (!users.isEmpty()) {
        web.append("basic_auth_users:\n");
        users.forEach(
            (user, password) ->
                web.append("  ")
                    .append(quoted(user))
                    .append(": ")
                    .append(quoted(bcrypt(password)))
                    .append('\n'));
      }
      try {
        Files.writeString(dir.resolve("prometheus.yml"), config);
        Files.writeString(dir.resolve("web.yml"), web);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** {@code http://127.0.0.1:port}, or {@code https://} when it serves TLS. */
  public URI address() {
    return URI.create((tls.isPresent() ? "https" : "http") + "://127.0.0.1:" + port);
  }

  /** The self-signed certificate it serves, when it serves TLS. */
  public Optional<SelfSignedCertificate> certificate() {
    return tls;
  }

  public String job() {
    return job;
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /**
   * Waits until Prometheus has scraped every target of its job successfully. Prometheus 2.42
   * discovers static targets only after about five seconds.
   */
  public void awaitTargetsUp() {
    try {
      await("Prometheus " + address() + " scraping its " + targetCount + " targets")
          .atMost(TARGETS_TIMEOUT)
          .pollInterval(POLL)
          .until(
              () -> {
                var targets = targets();
                return targets.size() == targetCount
                    && targets.stream().allMatch(t -> "up".equals(t.path("health").asText()));
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "Prometheus did not scrape all of its "
              + targetCount
              + " targets within "
              + TARGETS_TIMEOUT
              + "; it reports "
              + targets().stream()
                  .map(
                      t ->
                          t.path("scrapeUrl").asText()
                              + " "
                              + t.path("health").asText()
                              + " "
                              + t.path("lastError").asText())
                  .toList(),
          e);
    }
  }

  /** Waits until the instant query returns data: at least one series, or a scalar. */
  public void awaitSeries(String promql) {
    var last = new JsonNode[1];
    try {
      await("Prometheus " + address() + " returning data for " + promql)
          .atMost(SERIES_TIMEOUT)
          .pollInterval(POLL)
          .until(
              () -> {
                last[0] =
                    api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
                JsonNode result = last[0].path("data").path("result");
                return "success".equals(last[0].path("status").asText()) && result.size() > 0;
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "Prometheus returned no data for "
              + promql
              + " within "
              + SERIES_TIMEOUT
              + ": "
              + last[0],
          e);
    }
  }

  /** Stops the server for real (SIGTERM, then SIGKILL): its address refuses connections. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
    try {
      Files.deleteIfExists(dir.resolve("prometheus.pid"));
    } catch (IOException e) {
      // The watchdog kills a dead process id at worst.
    }
  }

  /** Starts the stopped server again on the same port with the same TSDB, and waits until ready. */
  public synchronized void restart() {
    stop();
    launch();
  }

  /** Stops the server and removes its folder. */
  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("[prometheus] could not delete " + dir + ": " + e);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: this is the hook.
    }
  }

  /** The last lines of the server's log, stdout and stderr. */
  public String logTail(int lines) {
    Path log = dir.resolve("prometheus.log");
    try {
      var all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log " + log + ": " + e.getMessage() + ")";
    }
  }

  private synchronized void launch() {
    var command = new ArrayList<String>();
    command.add(binary.toString());
    command.add("--config.file=" + dir.resolve("prometheus.yml"));
    command.add("--web.config.file=" + dir.resolve("web.yml"));
    command.add("--web.listen-address=127.0.0.1:" + port);
    command.add("--storage.tsdb.path=" + dir.resolve("data"));
    // Nothing outlives a test run; a short retention keeps the head block small.
    command.add("--storage.tsdb.retention.time=1h");
    try {
      process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(dir.resolve("prometheus.log").toFile()))
              .start();
      Files.writeString(dir.resolve("prometheus.pid"), Long.toString(process.pid()));
    } catch (IOException e) {
      throw new IllegalStateException(
          "Prometheus (" + binary + ", Debian package 'prometheus') could not start: " + e, e);
    }
    var started = process;
    try {
      await("Prometheus " + address() + " ready")
          .atMost(READY_TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                if (!started.isAlive()) {
                  throw new IllegalStateException("exited with code " + started.exitValue());
                }
                return status("/-/ready") == 200;
              });
    } catch (ConditionTimeoutException | IllegalStateException e) {
      throw new IllegalStateException(
          "Prometheus ("
              + binary
              + ", Debian package 'prometheus') did not get ready on "
              + address()
              + ": "
              + e.getMessage()
              + "; last lines of its log:\n"
              + logTail(30),
          e);
    }
  }

  private synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  /** The active targets of this server's job, as {@code /api/v1/targets} reports them. */
  private List<JsonNode> targets() {
    var targets = new ArrayList<JsonNode>();
    api("/api/v1/targets?state=active")
        .path("data")
        .path("activeTargets")
        .forEach(
            t -> {
              if (job.equals(t.path("labels").path("job").asText())) {
                targets.add(t);
              }
            });
    return targets;
  }

  /** The answer of the HTTP API to an instant query, error or not, as Grafana would get it. */
  public JsonNode query(String promql) {
    return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  private JsonNode api(String pathAndQuery) {
    try {
      var connection = open(pathAndQuery);
      int status = connection.getResponseCode();
      try (InputStream in =
          status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
        return in == null ? JSON.missingNode() : JSON.readTree(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Prometheus " + address() + pathAndQuery + ": " + e, e);
    }
  }

  private int status(String path) {
    try {
      var connection = open(path);
      int status = connection.getResponseCode();
      connection.disconnect();
      return status;
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * A connection of the fixture's own: it trusts exactly the server's certificate, whatever name
   * that certificate was made for, and sends the first user's credentials.
   */
  private HttpURLConnection open(String pathAndQuery) throws IOException {
    var connection =
        (HttpURLConnection) URI.create(address() + pathAndQuery).toURL().openConnection();
    connection.setConnectTimeout(2000);
    connection.setReadTimeout(5000);
    if (connection instanceof HttpsURLConnection https && tls.isPresent()) {
      https.setSSLSocketFactory(trusting(tls.get(), clientAuthentication).getSocketFactory());
      https.setHostnameVerifier((host, session) -> true);
    }
    credentials.ifPresent(
        user ->
            connection.setRequestProperty(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            (user[0] + ":" + user[1]).getBytes(StandardCharsets.UTF_8))));
    return connection;
  }

  private static SSLContext trusting(
      SelfSignedCertificate certificate, Optional<Path[]> clientAuthentication) {
    try {
      var store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("prometheus", certificate.x509());
      var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      var context = SSLContext.getInstance("TLS");
      KeyManager[] keys = null;
      if (clientAuthentication.isPresent()) {
        var client = clientAuthentication.get();
        // fabric8's PEM reader, as for a kubeconfig's client certificate (the CA issues EC keys).
        keys =
            SSLUtils.keyManagers(
                null,
                client[1].toString(),
                null,
                client[2].toString(),
                "EC",
                "changeit",
                null,
                null);
      }
      context.init(keys, trust.getTrustManagers(), new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "cannot trust " + certificate.certificate() + " or present the fixture's certificate", e);
    }
  }

  /**
   * Stops the server even if this JVM is killed without running its shutdown hooks: a detached
   * shell waits for the JVM to end, then kills the process named in the pid file, if any.
   */
  private void startWatchdog() {
    String script =
        "tail --pid=\"$1\" -f /dev/null; "
            + "[ -f \"$2/prometheus.pid\" ] && kill -9 \"$(cat \"$2/prometheus.pid\")\"; "
            + "rm -rf \"$2\"";
    try {
      new ProcessBuilder(
              "setsid",
              "bash",
              "-c",
              script,
              "weir-prometheus-watchdog",
              Long.toString(ProcessHandle.current().pid()),
              dir.toString())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String bcrypt(String password) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    return OpenBSDBCrypt.generate("2a", password.toCharArray(), salt, BCRYPT_COST);
  }

  /** A YAML double-quoted string (JSON's quoting is valid YAML). */
  private static String quoted(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
