package dev.weir.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.analysis.AnalysisRunDrivers;
import dev.weir.analysis.AnalysisRunReconciler;
import dev.weir.analysis.provider.prometheus.PrometheusProvider;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.bench.ApiTimings.Call;
import dev.weir.bench.TimedPrometheus.Query;
import dev.weir.notify.NotificationSettings;
import dev.weir.notify.Notifier;
import dev.weir.observability.WeirMetrics;
import dev.weir.rollout.RolloutReconciler;
import dev.weir.testing.Manifests;
import dev.weir.testing.PrometheusServer;
import dev.weir.testing.ReplicaSetKubelet;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import dev.weir.testing.mesh.TrafficSimulator;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Version;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.Utils;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Measures how fast Weir reacts to a failing analysis (bench/README.md): from the failing
 * measurement to the VirtualService back at 100 % stable, within the same reconcile.
 *
 * <p>The example of {@code examples/canary-analysis} with the templates of {@code
 * analysis-templates/} applied unchanged, on the fabric8 mock API server in CRUD mode, judged by
 * the real Prometheus, which scrapes the simulated mesh. Each release puts v2 with 20 % errors into
 * a healthy v1, in a namespace of its own, and waits for the abort. Three records are kept
 * meanwhile:
 *
 * <ul>
 *   <li>every reconcile, numbered through JOSDK's monitoring hook ({@link ReconcileTracker});
 *   <li>every Prometheus query, timed and tagged with its reconcile by a {@link TimedPrometheus}
 *       that wraps Weir's provider (built into {@link AnalysisRunDrivers} through its constructor
 *       that takes the provider);
 *   <li>every API request of Weir's client, tagged with its reconcile and timed on the client (from
 *       leaving to the answer's arrival) and on the server (when it was accepted) ({@link
 *       ApiTimings}).
 * </ul>
 *
 * <p>From them, per release: the AnalysisRun status write that records the run Failed names the
 * failing measurement (its {@code finishedAt}: when it was judged) and the reconcile that wrote it;
 * the first VirtualService write after it that sets the canary weight to 0 names the moment it was
 * accepted and its reconcile. The reaction is the time between; "same reconcile" is the two
 * reconcile numbers being equal (and no reconcile of the rollout starting in between).
 *
 * <p>Usage: {@code AnalysisReactionBench [--runs N] [--verbose]}. Exit status: 0 when every abort
 * wrote the weight in the reconcile that judged the measurement, 1 when one did not, 2 when the
 * benchmark could not be carried out.
 */
public final class AnalysisReactionBench {

  private static final String NAME = "checkout";
  private static final String VIRTUAL_SERVICE = "checkout";
  private static final String ROUTE = "primary";
  private static final String CANARY_HOST = "checkout-canary";
  private static final String V2_IMAGE = "registry.example/checkout:2.5.0";
  private static final String ROLLOUT_CONTROLLER = RolloutReconciler.NAME;

  private static final double REQUESTS_PER_SECOND = 100;
  private static final String ERROR_RATE = "0.2";
  private static final long SEED = 42;

  /** The analysis stories' pauses; their args make the windows short and the intervals quick. */
  private static final String PAUSE = "5s";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern WEIGHT_PATH =
      Pattern.compile("/spec/http/(\\d+)/route/(\\d+)/weight");

  private final int runs;
  private final boolean verbose;
  private final Clock clock = Clock.systemUTC();
  private final ReconcileTracker reconciles = new ReconcileTracker(clock);
  private final ApiTimings api = new ApiTimings(clock);
  private TimedPrometheus prometheusQueries;
  private final List<Release> releases = new ArrayList<>();
  private String prometheusVersion = "unknown";
  private String scrapeInterval = "unknown";
  private String stopped;
  private final Machine machine = Machine.before();

  /** The route and destination indexes of the canary weight in the VirtualService. */
  private int routeIndex = -1;

  private int canaryIndex = -1;

  private AnalysisReactionBench(int runs, boolean verbose) {
    this.runs = runs;
    this.verbose = verbose;
  }

  public static void main(String[] args) {
    int runs = 5;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--verbose", "-v" -> verbose = true;
        default -> {
          System.err.println("usage: AnalysisReactionBench [--runs N] [--verbose]");
          System.exit(2);
        }
      }
    }
    if (runs < 1) {
      System.err.println("--runs wants at least 1");
      System.exit(2);
    }
    int status;
    try {
      status = new AnalysisReactionBench(runs, verbose).run();
    } catch (Exception | AssertionError e) {
      System.out.flush();
      System.err.println("analysis-reaction: the benchmark could not be carried out: " + e);
      e.printStackTrace();
      status = 2;
    }
    System.out.flush();
    // The operator's, the HTTP clients' and the mock server's threads are not all daemons.
    System.exit(status);
  }

  // ---------------------------------------------------------------------------------------------
  // The releases

  /**
   * What one release showed; {@code problem} is set when it could not be measured.
   *
   * @param failedAt the failing measurement's finishedAt: when it was judged
   * @param runWrite the status write of the run that recorded it Failed
   * @param weightWrite the VirtualService write that set the canary weight to 0
   * @param readBack the first read of the VirtualService in that reconcile after the write
   * @param window Weir's requests sent from failedAt until weightWrite was accepted
   * @param queries the Prometheus queries of the release, from v2's declaration to the abort
   */
  record Release(
      int index,
      String namespace,
      String problem,
      String analysis,
      String metric,
      String value,
      Instant failedAt,
      Call runWrite,
      Query failingQuery,
      Call weightWrite,
      Call readBack,
      boolean measuredByRollout,
      long reconcilesBetween,
      List<Call> window,
      List<Query> queries,
      List<Query> queriesInWindow) {

    static Release failed(int index, String namespace, String problem) {
      return new Release(
          index, namespace, problem, null, null, null, null, null, null, null, null, false, 0,
          List.of(), List.of(), List.of());
    }

    boolean measured() {
      return problem == null;
    }

    Duration reaction() {
      return Duration.between(failedAt, weightWrite.acceptedAt);
    }

    Duration toReadBack() {
      return readBack == null || readBack.answeredAt == null
          ? null
          : Duration.between(failedAt, readBack.answeredAt);
    }

    /**
     * The weight was written by the reconcile of this rollout that wrote the run Failed, and no
     * other reconcile of the rollout started in between.
     */
    boolean sameReconcile() {
      return measuredByRollout
          && runWrite.reconcile != 0
          && runWrite.reconcile == weightWrite.reconcile
          && reconcilesBetween == 0;
    }
  }

  private int run() throws IOException {
    long started = System.nanoTime();
    int meshPort;
    try (var socket = new ServerSocket(0)) {
      meshPort = socket.getLocalPort();
    }
    var server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), api.new Dispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    try (var prometheus = PrometheusServer.start(List.of("127.0.0.1:" + meshPort));
        var script = client(server, "weir-bench/script");
        var kubeletClient = client(server, "weir-bench/kubelet");
        var meshClient = client(server, "weir-bench/mesh");
        var weirClient = weirClient(server)) {
      readPrometheusBuild(prometheus.address());
      Manifests.applyCrds(script);
      locateCanaryWeight();
      try (var kubelet = new ReplicaSetKubelet(kubeletClient).start()) {
        var operator = startWeir(weirClient, prometheus.address().toString());
        try {
          for (int i = 1; i <= runs; i++) {
            releases.add(release(i, script, meshClient, meshPort, prometheus));
          }
        } finally {
          operator.stop();
        }
      }
    } catch (RuntimeException | AssertionError e) {
      stopped = e.toString();
      if (verbose) {
        e.printStackTrace();
      }
    } finally {
      server.destroy();
    }
    return report(Duration.ofNanos(System.nanoTime() - started));
  }

  private static KubernetesClient client(KubernetesMockServer server, String userAgent) {
    return server.createClient(b -> b.editOrNewConfig().withUserAgent(userAgent).endConfig());
  }

  /** Weir's client: its requests are numbered, tagged with their reconcile and timed. */
  private KubernetesClient weirClient(KubernetesMockServer server) {
    return server.createClient(
        b ->
            b.editOrNewConfig()
                .withUserAgent("weir-bench/weir")
                .endConfig()
                .withHttpClientBuilderConsumer(
                    h -> h.addOrReplaceInterceptor("weir-bench-timings", api.interceptor())));
  }

  /** As RunningWeir starts it, with the reconciles numbered and the Prometheus queries timed. */
  private Operator startWeir(KubernetesClient client, String prometheusAddress) {
    var operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(10))
                    .withMetrics(reconciles));
    prometheusQueries = new TimedPrometheus(new PrometheusProvider(clock), clock);
    var drivers =
        new AnalysisRunDrivers(
            prometheusQueries,
            Optional.of(prometheusAddress),
            RunningWeir.QUERY_TIMEOUT,
            clock,
            new WeirMetrics(new PrometheusRegistry()));
    operator.register(
        new RolloutReconciler(
            clock,
            drivers,
            new Notifier(NotificationSettings.defaults(), clock, drivers.metrics())));
    operator.register(new AnalysisRunReconciler(drivers));
    operator.start();
    return operator;
  }

  /** One release of v2 with errors into a healthy v1, in a namespace of its own. */
  private Release release(
      int index,
      KubernetesClient script,
      KubernetesClient meshClient,
      int meshPort,
      PrometheusServer prometheus) {
    String namespace = "shop-" + index;
    Manifests.applyNamespace(script, namespace);
    Manifests.applyIn(script, namespace, "examples/canary-istio/services.yaml");
    Manifests.applyIn(script, namespace, "examples/canary-istio/virtualservice.yaml");
    Manifests.analysisTemplates().forEach(path -> Manifests.applyIn(script, namespace, path));
    try (var mesh =
        TrafficSimulator.start(meshClient, namespace, REQUESTS_PER_SECOND, SEED, meshPort)) {
      if (index == 1) {
        // The first scrape comes about five seconds after Prometheus starts.
        prometheus.awaitTargetsUp();
      }
      script.resource(Manifests.quickAnalysisCanary(namespace, PAUSE)).create();
      var checkout = new RolloutScenario(script, namespace, NAME);
      checkout.awaitStatus("v1 Healthy", s -> s.phase == RolloutPhase.Healthy);

      Instant declared = clock.instant();
      checkout.release(V2_IMAGE, Map.of(TrafficSimulator.ERROR_RATE, ERROR_RATE));
      var aborted =
          checkout.awaitStatus(
              "v2 aborted by its analysis, all traffic on stable",
              s ->
                  s.phase == RolloutPhase.Degraded
                      && s.abortMessage != null
                      && Objects.equals(s.verifiedWeight, 0));
      Instant over = clock.instant();
      return measure(index, namespace, declared, over, aborted.abortMessage);
    }
  }

  /** Where the canary's weight is in the example's VirtualService: route and destination. */
  private void locateCanaryWeight() {
    var vs = Manifests.load("examples/canary-istio/virtualservice.yaml", VirtualService.class);
    var http = vs.getSpec().getHttp();
    for (int r = 0; r < http.size(); r++) {
      if (!ROUTE.equals(http.get(r).getName())) {
        continue;
      }
      var destinations = http.get(r).getRoute();
      for (int d = 0; d < destinations.size(); d++) {
        if (CANARY_HOST.equals(destinations.get(d).getDestination().getHost())) {
          routeIndex = r;
          canaryIndex = d;
        }
      }
    }
    if (canaryIndex < 0) {
      throw new IllegalStateException("no destination " + CANARY_HOST + " in route " + ROUTE);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What the records say about one release

  private Release measure(
      int index, String namespace, Instant declared, Instant over, String abortMessage) {
    List<Call> calls = api.all().stream().filter(c -> !c.sentAt.isBefore(declared)).toList();
    List<Query> queries =
        prometheusQueries.all().stream()
            .filter(q -> !q.startedAt().isBefore(declared) && !q.startedAt().isAfter(over))
            .toList();

    // The status write that recorded the run Failed, and the measurement that failed it.
    Call runWrite = null;
    JsonNode failedStatus = null;
    for (Call c : calls) {
      var r = c.resource();
      if (c.isWrite()
          && accepted(c)
          && namespace.equals(r.namespace())
          && "analysisruns".equals(r.plural())
          && "status".equals(r.subresource())) {
        JsonNode status = json(c.body).path("status");
        if ("Failed".equals(status.path("phase").asText())) {
          runWrite = c;
          failedStatus = json(c.body);
          break;
        }
      }
    }
    if (runWrite == null) {
      return Release.failed(
          index, namespace, "no AnalysisRun was written Failed; the abort said: " + abortMessage);
    }
    JsonNode metric = null;
    for (JsonNode m : failedStatus.path("status").path("metricResults")) {
      if ("Failed".equals(m.path("phase").asText())) {
        metric = m;
        break;
      }
    }
    JsonNode measurement = null;
    if (metric != null) {
      for (JsonNode m : metric.path("measurements")) {
        if ("Failed".equals(m.path("phase").asText())) {
          measurement = m;
        }
      }
    }
    if (measurement == null) {
      return Release.failed(index, namespace, "the Failed run names no Failed measurement");
    }
    Instant failedAt = Instant.parse(measurement.path("finishedAt").asText());
    String analysis =
        failedStatus
            .path("metadata")
            .path("labels")
            .path(WellKnownNames.ANALYSIS_SITE_LABEL)
            .asText("?");
    long measuredIn = runWrite.reconcile;
    Query failingQuery =
        queries.stream()
            .filter(q -> q.reconcile() == measuredIn && !q.finishedAt().isAfter(failedAt))
            .max(Comparator.comparing(Query::finishedAt))
            .orElse(null);

    // The first write of the VirtualService after it that puts the canary weight at 0.
    Call weightWrite =
        calls.stream()
            .filter(c -> !c.sentAt.isBefore(failedAt))
            .filter(c -> "PATCH".equals(c.method) || "PUT".equals(c.method))
            .filter(this::isVirtualService)
            .filter(c -> namespace.equals(c.resource().namespace()))
            .filter(c -> accepted(c) && setsCanaryWeightToZero(c.body))
            .findFirst()
            .orElse(null);
    if (weightWrite == null) {
      return Release.failed(
          index, namespace, "no VirtualService write set the canary weight to 0 after " + failedAt);
    }
    Call readBack =
        calls.stream()
            .filter(c -> c.reconcile == weightWrite.reconcile && c.id > weightWrite.id)
            .filter(c -> "GET".equals(c.method) && isVirtualService(c))
            .findFirst()
            .orElse(null);
    Instant acceptedAt = weightWrite.acceptedAt;
    long between =
        reconciles.all().stream()
            .filter(r -> r.of(ROLLOUT_CONTROLLER, namespace, NAME))
            .filter(r -> r.startedAt.isAfter(failedAt) && r.startedAt.isBefore(acceptedAt))
            .count();
    List<Call> window =
        calls.stream()
            .filter(c -> !c.sentAt.isBefore(failedAt) && !c.sentAt.isAfter(acceptedAt))
            .toList();
    List<Query> inWindow =
        queries.stream()
            .filter(q -> q.startedAt().isAfter(failedAt) && q.startedAt().isBefore(acceptedAt))
            .toList();
    return new Release(
        index,
        namespace,
        null,
        analysis,
        metric.path("name").asText(),
        measurement.path("value").asText(),
        failedAt,
        runWrite,
        failingQuery,
        weightWrite,
        readBack,
        reconciles
            .byId(measuredIn)
            .filter(r -> r.of(ROLLOUT_CONTROLLER, namespace, NAME))
            .isPresent(),
        between,
        window,
        queries,
        inWindow);
  }

  private static boolean accepted(Call c) {
    return c.serverCode >= 200 && c.serverCode < 300 && c.acceptedAt != null;
  }

  private boolean isVirtualService(Call c) {
    var r = c.resource();
    return "virtualservices".equals(r.plural()) && VIRTUAL_SERVICE.equals(r.name());
  }

  /** A JSON patch (or a whole object) that puts the canary destination's weight at 0. */
  private boolean setsCanaryWeightToZero(String body) {
    JsonNode node = json(body);
    if (node.isArray()) {
      for (JsonNode op : node) {
        Matcher m = WEIGHT_PATH.matcher(op.path("path").asText());
        if (m.matches()
            && Integer.parseInt(m.group(1)) == routeIndex
            && Integer.parseInt(m.group(2)) == canaryIndex
            && op.path("value").isInt()
            && op.path("value").asInt() == 0) {
          return true;
        }
      }
      return false;
    }
    JsonNode weight =
        node.path("spec").path("http").path(routeIndex).path("route").path(canaryIndex);
    return weight.has("weight") && weight.path("weight").asInt(-1) == 0;
  }

  private static JsonNode json(String body) {
    try {
      return body == null || body.isEmpty() ? JSON.missingNode() : JSON.readTree(body);
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The report

  private static final String ROW = "%3s  %-44s %7s %9s %10s  %-6s %7s  %9s %7s  %5s %9s %9s";

  private int report(Duration wallClock) {
    var out = System.out;
    out.println();
    out.println(
        "Weir analysis reaction: examples/canary-analysis, v2 with "
            + percent(ERROR_RATE)
            + " errors, on the fabric8 mock API server (CRUD) with the real Prometheus");
    out.println();
    out.println(
        String.format(
            "%3s  %-44s %7s %-20s  %-14s  %-17s  %s",
            "",
            "failing measurement",
            "",
            "    reaction (ms)",
            "same reconcile",
            "   PromQL (ms)",
            "   API requests in window"));
    String header =
        String.format(
            ROW,
            "run",
            "analysis / metric = value",
            "recon.",
            "to write",
            "+read-back",
            "same",
            "between",
            "failing",
            "queries",
            "n",
            "median ms",
            "sum ms");
    out.println(header);
    out.println("-".repeat(header.length()));
    for (Release r : releases) {
      if (!r.measured()) {
        out.printf("%3d  NOT MEASURED (%s): %s%n", r.index(), r.namespace(), r.problem());
        continue;
      }
      var rtts = roundTrips(r.window());
      out.println(
          String.format(
              ROW,
              r.index(),
              abbreviate(r.analysis() + " " + r.metric() + " = " + shortValue(r.value()), 44),
              "#" + r.runWrite().reconcile,
              ms(r.reaction()),
              r.toReadBack() == null ? "-" : ms(r.toReadBack()),
              r.sameReconcile() ? "yes" : "NO #" + r.weightWrite().reconcile,
              r.reconcilesBetween(),
              r.failingQuery() == null ? "-" : ms(r.failingQuery().result().took()),
              r.queriesInWindow().size(),
              r.window().size(),
              rtts.isEmpty() ? "-" : ms(median(rtts)),
              rtts.isEmpty() ? "-" : ms(rtts.stream().reduce(Duration.ZERO, Duration::plus))));
      if (verbose) {
        timeline(r);
      }
    }
    out.println("-".repeat(header.length()));
    out.println(
        "failing measurement: the AnalysisRun whose status write first says Failed, its Failed"
            + " measurement (finishedAt: when it was judged);");
    out.println(
        "recon.: the reconcile (JOSDK's, numbered) that took the measurement and wrote the run;"
            + " to write: until the API server accepted the");
    out.println(
        "VirtualService write with canary weight 0; +read-back: until Weir's next read of the"
            + " VirtualService (its verification) was answered;");
    out.println(
        "same: the weight was written by that same reconcile; between: reconciles of the rollout"
            + " started in between; failing: the provider's");
    out.println(
        "took for the failing query; queries: Prometheus queries sent in the window; API requests"
            + " in window: Weir's, sent from the failing");
    out.println(
        "measurement until the write was accepted: how many, their round trips (seen by Weir's"
            + " client) median and added up.");
    out.println();

    var measured = releases.stream().filter(Release::measured).toList();
    if (!measured.isEmpty()) {
      summary(measured);
    }
    if (stopped != null) {
      out.println();
      out.println("STOPPED after " + releases.size() + " of " + runs + " releases: " + stopped);
    }
    out.println();
    conditions(wallClock);

    boolean complete =
        stopped == null && releases.size() == runs && measured.size() == releases.size();
    if (!complete) {
      return 2;
    }
    return measured.stream().allMatch(Release::sameReconcile) ? 0 : 1;
  }

  private void summary(List<Release> measured) {
    var out = System.out;
    var reactions = sorted(measured.stream().map(Release::reaction).toList());
    out.printf(
        "reaction:        median %s ms, min %s ms, max %s ms over %d releases"
            + " (failing measurement judged -> weight 0 accepted)%n",
        ms(median(reactions)),
        ms(reactions.get(0)),
        ms(reactions.get(reactions.size() - 1)),
        reactions.size());
    var readBacks =
        sorted(measured.stream().map(Release::toReadBack).filter(Objects::nonNull).toList());
    if (!readBacks.isEmpty()) {
      out.printf(
          "  + read-back:   median %s ms, max %s ms (until the verifying read was answered)%n",
          ms(median(readBacks)), ms(readBacks.get(readBacks.size() - 1)));
    }
    long same = measured.stream().filter(Release::sameReconcile).count();
    out.printf(
        "same reconcile:  %d of %d; target: all -> %s%n",
        same, measured.size(), same == measured.size() ? "met" : "MISSED");
    for (Release r : measured) {
      if (!r.sameReconcile()) {
        out.printf(
            "  run %d: measured in reconcile #%d, weight written in #%d, %d reconcile(s) of the"
                + " rollout started in between%n",
            r.index(), r.runWrite().reconcile, r.weightWrite().reconcile, r.reconcilesBetween());
      }
    }

    var tooks =
        sorted(
            measured.stream()
                .flatMap(r -> r.queries().stream())
                .map(q -> q.result().took())
                .toList());
    var failingTooks =
        sorted(
            measured.stream()
                .map(Release::failingQuery)
                .filter(Objects::nonNull)
                .map(q -> q.result().took())
                .toList());
    if (!tooks.isEmpty()) {
      out.printf(
          "PromQL:          round trip (provider took) median %s ms, max %s ms over %d queries;"
              + " failing queries median %s ms%n",
          ms(median(tooks)),
          ms(tooks.get(tooks.size() - 1)),
          tooks.size(),
          failingTooks.isEmpty() ? "-" : ms(median(failingTooks)));
    }

    long withQueries = measured.stream().filter(r -> !r.queriesInWindow().isEmpty()).count();
    out.printf(
        "PromQL (window): %d queries sent between the failing measurement and the weight write, in"
            + " %d of %d releases%n",
        measured.stream().mapToInt(r -> r.queriesInWindow().size()).sum(),
        withQueries,
        measured.size());

    var window = measured.stream().flatMap(r -> r.window().stream()).toList();
    var rtts = roundTrips(window);
    var counts = sorted(measured.stream().map(r -> (long) r.window().size()).toList());
    var sums =
        sorted(
            measured.stream()
                .map(r -> roundTrips(r.window()).stream().reduce(Duration.ZERO, Duration::plus))
                .toList());
    out.printf(
        "API (window):    %s requests per release (median), round trip median %s ms, max %s ms"
            + " over %d requests%n",
        counts.get(counts.size() / 2),
        rtts.isEmpty() ? "-" : ms(median(rtts)),
        rtts.isEmpty() ? "-" : ms(rtts.get(rtts.size() - 1)),
        rtts.size());
    out.printf(
        "                 added up per release: median %s ms of the median reaction's %s ms%n",
        ms(median(sums)), ms(median(reactions)));
    Map<String, List<Call>> byKind =
        window.stream()
            .collect(
                Collectors.groupingBy(
                    AnalysisReactionBench::kind, LinkedHashMap::new, Collectors.toList()));
    byKind.forEach(
        (kind, calls) -> {
          var kindRtts = roundTrips(calls);
          out.printf(
              "  %-40s %4d (%.1f per release)  round trip median %s ms%n",
              kind,
              calls.size(),
              (double) calls.size() / measured.size(),
              kindRtts.isEmpty() ? "-" : ms(median(kindRtts)));
        });
    long outside =
        window.stream()
            .filter(
                c ->
                    measured.stream()
                        .noneMatch(
                            r -> r.window().contains(c) && c.reconcile == r.runWrite().reconcile))
            .count();
    if (outside > 0) {
      out.printf("  of which %d were sent outside the measuring reconcile%n", outside);
    }
  }

  /** Weir's requests and queries in the window of one release, from the failing measurement. */
  private void timeline(Release r) {
    var out = System.out;
    out.printf(
        "       %s judged Failed in reconcile #%d (%s); then:%n",
        r.failedAt(),
        r.runWrite().reconcile,
        reconciles
            .byId(r.runWrite().reconcile)
            .map(x -> x.controller + ", " + x.thread)
            .orElse("?"));
    record Line(Instant at, String text) {}
    var lines = new ArrayList<Line>();
    for (Query q : r.queriesInWindow()) {
      lines.add(
          new Line(
              q.startedAt(),
              String.format(
                  "%-60s #%-5d took %7s ms",
                  "PromQL query", q.reconcile(), ms(q.result().took()))));
    }
    for (Call c : r.window()) {
      lines.add(
          new Line(
              c.sentAt,
              String.format(
                  "%-60s #%-5d rtt  %7s ms -> %d",
                  abbreviate(c.what(), 60),
                  c.reconcile,
                  c.roundTrip() == null ? "-" : ms(c.roundTrip()),
                  c.serverCode)));
    }
    lines.add(new Line(r.weightWrite().acceptedAt, "weight 0 accepted by the API server"));
    lines.sort(Comparator.comparing(Line::at));
    for (Line l : lines) {
      out.printf("       +%7s ms  %s%n", ms(Duration.between(r.failedAt(), l.at())), l.text());
    }
  }

  /** A request's kind, without names: {@code PUT analysisruns/status}. */
  private static String kind(Call c) {
    var r = c.resource();
    if (r.plural() == null) {
      return c.method + " " + c.path;
    }
    return c.method
        + " "
        + r.plural()
        + (r.name() == null && "GET".equals(c.method) ? " (list)" : "")
        + (r.subresource() == null ? "" : "/" + r.subresource());
  }

  private static List<Duration> roundTrips(List<Call> calls) {
    return sorted(calls.stream().map(Call::roundTrip).filter(Objects::nonNull).toList());
  }

  private static <T extends Comparable<T>> List<T> sorted(List<T> values) {
    var copy = new ArrayList<>(values);
    copy.sort(Comparator.naturalOrder());
    return copy;
  }

  /** The median of sorted durations: the middle one, or the mean of the two middle ones. */
  private static Duration median(List<Duration> sorted) {
    int n = sorted.size();
    if (n % 2 == 1) {
      return sorted.get(n / 2);
    }
    return sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
  }

  private static String ms(Duration d) {
    return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e6);
  }

  private static String percent(String rate) {
    return String.format(Locale.ROOT, "%.0f %%", Double.parseDouble(rate) * 100);
  }

  /** A measured value, short: {@code 0.801}, or {@code [200, 200]} for several samples. */
  private static String shortValue(String value) {
    JsonNode node = json(value);
    if (node.isArray()) {
      var parts = new ArrayList<String>();
      node.forEach(v -> parts.add(shortNumber(v.asText())));
      return "[" + String.join(", ", parts) + "]";
    }
    return shortNumber(value);
  }

  private static String shortNumber(String value) {
    try {
      return String.format(Locale.ROOT, "%.3g", Double.parseDouble(value));
    } catch (NumberFormatException e) {
      return value;
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  // ---------------------------------------------------------------------------------------------
  // The conditions

  private void readPrometheusBuild(URI address) {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Function<String, JsonNode> get =
        path -> {
          try {
            var response =
                http.send(
                    HttpRequest.newBuilder(address.resolve(path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body()).path("data");
          } catch (IOException e) {
            return JSON.missingNode();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.missingNode();
          }
        };
    prometheusVersion = get.apply("/api/v1/status/buildinfo").path("version").asText("unknown");
    Matcher m =
        Pattern.compile("scrape_interval:\\s*(\\S+)")
            .matcher(get.apply("/api/v1/status/config").path("yaml").asText(""));
    if (m.find()) {
      scrapeInterval = m.group(1);
    }
  }

  private void conditions(Duration wallClock) {
    var out = System.out;
    out.println("conditions");
    machine.after();
    out.print(machine.describe());
    out.printf(
        "  API server fabric8 %s mock API server (CRUD mode) on loopback, not a real"
            + " kube-apiserver; JOSDK %s%n",
        Version.clientVersion(), Utils.VERSION.getSdkVersion());
    out.printf(
        "  prometheus %s (%s) on loopback, scrape interval %s, scraping the simulated mesh%n",
        prometheusVersion,
        System.getProperty(PrometheusServer.BINARY_PROPERTY, PrometheusServer.DEFAULT_BINARY),
        scrapeInterval);
    out.printf(
        "  mesh       TrafficSimulator: %.0f requests/s through route %s of VirtualService %s,"
            + " v2 error rate %s (annotation %s)%n",
        REQUESTS_PER_SECOND, ROUTE, VIRTUAL_SERVICE, ERROR_RATE, TrafficSimulator.ERROR_RATE);
    out.printf(
        "  rollout    examples/canary-analysis/rollout.yaml, templates of analysis-templates/"
            + " unchanged; pauses %s, scale-down delays %ds;%n",
        PAUSE, Manifests.COMPRESSED_DELAY_SECONDS);
    out.printf(
        "             step analysis args %s; background args %s%n",
        args(Manifests.QUICK_STEP_ANALYSIS), args(Manifests.QUICK_BACKGROUND_ANALYSIS));
    out.printf(
        "  runs       %d of %d releases measured, each in a namespace of its own; %.1f s wall"
            + " clock, %d reconciles, %d Weir requests, %d Prometheus queries%n",
        releases.stream().filter(Release::measured).count(),
        runs,
        wallClock.toMillis() / 1000.0,
        reconciles.all().size(),
        api.all().size(),
        prometheusQueries == null ? 0 : prometheusQueries.all().size());
  }

  private static String args(Map<String, String> args) {
    return args.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }
}
