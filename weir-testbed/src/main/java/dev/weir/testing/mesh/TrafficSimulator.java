package dev.weir.testing.mesh;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Plays Istio's data plane where no pod runs: a client sends synthetic requests through the
 * VirtualServices and Gateway API HTTPRoutes of one namespace, following the weights Weir writes
 * (an HTTPRoute's backendRefs as Istio's Gateway API implementation does), and the "sidecars" of
 * the ReplicaSets they reach export Istio's standard request metrics for a real Prometheus to
 * scrape.
 *
 * <p>Every http route of every VirtualService and every rule of every HTTPRoute in the namespace
 * carries {@code requestsPerSecond} requests; a destination (a backendRef) takes its weight's share
 * of them (a backendRef without a weight weighs 1); a destination host (a backendRef's name)
 * resolves to the Service of that name in the namespace, whose selector (narrowed by the
 * DestinationRule subset's labels when the destination names a subset) picks the ReplicaSets whose
 * pod template matches; these share the destination's requests by their ready replicas. With no
 * ready replica the requests fail as Envoy's do: 503 with response flag {@code UH}. A destination
 * whose Service or subset does not exist gets nothing.
 *
 * <p>The routes the user wrote are the client's entrances; each kind of request ({@link
 * SimulatedRequest}, plain {@code GET /} unless {@link #sendShare} says otherwise) may instead be
 * taken by a route Weir named (a setHeaderRoute or setMirrorRoute step) that matches it, as Envoy
 * decides ({@link RoutingTable}). A route's mirror sends copies of its share of the requests to its
 * host: answered and counted apart ({@link #mirroredTo}; in the metrics, a {@code
 * destination_service} ending in {@code -shadow}), their answers reaching nobody.
 *
 * <p>Answered requests are reported as the destination's sidecar reports them ({@code
 * reporter="destination"}). A 503 UH never reaches a destination sidecar, so it is reported as the
 * client's sidecar would: {@code reporter="source"}, {@code destination_workload="unknown"}, the
 * Service's labels known. The informers need Istio's networking CRDs and the Gateway API's
 * HTTPRoute CRD in the API server.
 *
 * <p>How the pods of a ReplicaSet answer comes from annotations of its pod template:
 *
 * <table>
 *   <caption>Traffic annotations of the pod template</caption>
 *   <tr><th>annotation</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code traffic.weir.dev/error-rate}</td>
 *       <td>fraction of requests answered with a 500, {@code 0} to {@code 1}</td><td>0</td></tr>
 *   <tr><td>{@code traffic.weir.dev/latency-ms}</td>
 *       <td>median latency in milliseconds; latencies spread log-normally around it
 *           (p99 ≈ 1.8 × median)</td><td>20</td></tr>
 * </table>
 *
 * <p>Requests are whole: each tick turns the rate into requests and carries the fraction over, so a
 * ReplicaSet's count follows rate × share × time to within one request. Errors and latencies are
 * drawn from a seeded {@link Random}, so a run repeats itself.
 */
public final class TrafficSimulator implements AutoCloseable {

  /** Pod-template annotation: the fraction (0..1) of requests answered with a 500. */
  public static final String ERROR_RATE = "traffic.weir.dev/error-rate";

  /** Pod-template annotation: the median latency of the answers, in milliseconds. */
  public static final String LATENCY_MS = "traffic.weir.dev/latency-ms";

  private static final Logger LOG = Logger.getLogger(TrafficSimulator.class);
  private static final long TICK_MILLIS = 100;
  private static final long DEFAULT_SEED = 20240601L;

  /** Log-normal sigma of the latencies: modest, p99 = median × e^(2.33 × 0.25) ≈ 1.8 × median. */
  private static final double LATENCY_SPREAD = 0.25;

  private final Map<String, Double> errorRatesByImage =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final MeshObjects mesh;
  private final IstioMetrics metrics;
  private final Random random;
  private final ScheduledExecutorService ticker;
  private final Map<String, Double> carries = new HashMap<>();
  private final SentTraffic sent = new SentTraffic();
  private double requestsPerSecond;
  private double latencyFactor = 1;
  private final Map<String, Double> direct = new java.util.TreeMap<>();
  private final Map<SimulatedRequest, Double> shares = new HashMap<>();
  private long lastTick;
  private long ticks;
  private boolean closed;

  private TrafficSimulator(
      MeshObjects mesh, IstioMetrics metrics, double requestsPerSecond, long seed) {
    this.mesh = mesh;
    this.metrics = metrics;
    this.random = new Random(seed);
    this.requestsPerSecond = requestsPerSecond;
    this.lastTick = System.nanoTime();
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "traffic-simulator");
              thread.setDaemon(true);
              return thread;
            });
    ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Starts sending {@code requestsPerSecond} through each http route of the namespace. */
  public static TrafficSimulator start(
      KubernetesClient client, String namespace, double requestsPerSecond) {
    return start(client, namespace, requestsPerSecond, DEFAULT_SEED);
  }

  /** As {@link #start(KubernetesClient, String, double)}, with the seed of the random draws. */
  public static TrafficSimulator start(
      KubernetesClient client, String namespace, double requestsPerSecond, long seed) {
    return start(client, namespace, requestsPerSecond, seed, 0);
  }

  /**
   * As {@link #start(KubernetesClient, String, double, long)}, serving its metrics on a given
   * loopback port: a Prometheus configured once scrapes the simulators of successive tests there.
   */
  public static TrafficSimulator start(
      KubernetesClient client, String namespace, double requestsPerSecond, long seed, int port) {
    checkRate(requestsPerSecond);
    IstioMetrics metrics;
    try {
      metrics = new IstioMetrics(port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the simulated mesh's metrics", e);
    }
    try {
      return new TrafficSimulator(
          new MeshObjects(client, namespace), metrics, requestsPerSecond, seed);
    } catch (RuntimeException e) {
      metrics.close();
      throw e;
    }
  }

  /** Where Prometheus scrapes the metrics ({@code /metrics}): {@code 127.0.0.1:PORT}. */
  public String scrapeTarget() {
    return "127.0.0.1:" + metrics.port();
  }

  /** Changes the rate from now on; 0 sends nothing at all. */
  /**
   * Sends {@code requestsPerSecond} straight to a Service beside the routed traffic, the way smoke
   * tests reach a preview Service no route sends users to; 0 stops them.
   */
  public void sendDirect(String service, double requestsPerSecond) {
    checkRate(requestsPerSecond);
    synchronized (this) {
      tick();
      if (requestsPerSecond == 0) {
        direct.remove(service);
      } else {
        direct.put(service, requestsPerSecond);
      }
    }
  }

  public void setRequestsPerSecond(double requestsPerSecond) {
    checkRate(requestsPerSecond);
    synchronized (this) {
      // Requests owed at the old rate are sent first, so counts stay exact across the change.
      tick();
      this.requestsPerSecond = requestsPerSecond;
    }
  }

  /**
   * A bad day for the whole service: from now on every revision answers {@code factor} times as
   * slowly as its annotation says (1 is the annotation's latency), stable, baseline and canary
   * alike.
   */
  public void setLatencyFactor(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("latency factor: " + factor);
    }
    synchronized (this) {
      tick();
      latencyFactor = factor;
    }
  }

  /**
   * From now on {@code share} (0..1) of the requests through every route are of this kind (carry
   * this header, say); the rest stay {@link SimulatedRequest#PLAIN}. 0 stops sending it.
   */
  public void sendShare(SimulatedRequest request, double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("share: " + share);
    }
    synchronized (this) {
      tick();
      shares.remove(request);
      double others = shares.values().stream().mapToDouble(Double::doubleValue).sum();
      if (others + share > 1 + 1e-9) {
        throw new IllegalArgumentException(
            "shares of " + shares + " and " + share + " of " + request + " exceed 1");
      }
      if (share > 0 && !request.equals(SimulatedRequest.PLAIN)) {
        shares.put(request, share);
      }
    }
  }

  /** Mirrored copies the ReplicaSet's pods answered so far; nobody saw their answers. */
  public synchronized long mirroredTo(String replicaSet) {
    return sent.mirroredTo(replicaSet);
  }

  /** Requests the ReplicaSet's pods answered so far, errors included. */
  public synchronized long requestsTo(String replicaSet) {
    return sent.requestsTo(replicaSet);
  }

  /** Requests the ReplicaSet's pods answered with a 5xx so far. */
  public synchronized long errorsTo(String replicaSet) {
    return sent.errorsTo(replicaSet);
  }

  /** Requests routed to the Service that failed with 503 UH because none of its pods was ready. */
  public synchronized long noHealthyUpstream(String service) {
    return sent.noHealthyUpstream(service);
  }

  /**
   * Pods of {@code image} answer this fraction of requests with a 500, whatever their template's
   * annotations say: a broken build, which a revert in git (of the image alone) takes away.
   */
  public void answerForImage(String image, double errorRate) {
    errorRatesByImage.put(image, errorRate);
  }

  /** Everything sent so far, as of the last tick: the counts agree with one another. */
  public synchronized SentTraffic sent() {
    return sent.copy();
  }

  /** Where the next tick's requests go. */
  synchronized RoutingTable routingTable() {
    return mesh.routingTable(mix());
  }

  /** The kinds of request sent, with their shares: plain ones take what the others leave. */
  private Map<SimulatedRequest, Double> mix() {
    var mix = new HashMap<>(shares);
    double others = shares.values().stream().mapToDouble(Double::doubleValue).sum();
    if (others < 1) {
      mix.put(SimulatedRequest.PLAIN, 1 - others);
    }
    return mix;
  }

  /** Ticks done so far: a test waits for ticks, not for time. */
  synchronized long ticks() {
    return ticks;
  }

  private synchronized void tick() {
    if (closed) {
      return;
    }
    try {
      advance();
    } catch (RuntimeException e) {
      // An exception would cancel the scheduled task: the mesh must outlive a bad object.
      LOG.warnf(e, "Simulated traffic failed this tick; the next one tries again");
    }
  }

  private void advance() {
    RoutingTable table = requestsPerSecond > 0 ? mesh.routingTable(mix()) : null;
    long now = System.nanoTime();
    double seconds = (now - lastTick) / 1e9;
    lastTick = now;
    ticks++;
    List<Flow> flows = new ArrayList<>(table == null ? List.of() : table.flows());
    Map<String, Double> rates = new HashMap<>();
    flows.forEach(f -> rates.put(f.key(), requestsPerSecond));
    direct.forEach(
        (service, rps) ->
            mesh.direct(service)
                .forEach(
                    f -> {
                      flows.add(f);
                      rates.put(f.key(), rps);
                    }));
    Set<String> current = new HashSet<>();
    for (Flow flow : flows) {
      current.add(flow.key());
      double owed =
          carries.getOrDefault(flow.key(), 0.0) + rates.get(flow.key()) * flow.share() * seconds;
      long whole = (long) Math.floor(owed);
      carries.put(flow.key(), owed - whole);
      for (long i = 0; i < whole; i++) {
        send(flow);
      }
    }
    carries.keySet().retainAll(current);
  }

  private void send(Flow flow) {
    if (flow.mirrored()) {
      mirror(flow);
      return;
    }
    if (!flow.hasHealthyUpstream()) {
      metrics.noHealthyUpstream(flow.service());
      sent.failed(flow.service().name());
      return;
    }
    DestinationWorkload workload = flow.workload();
    double errorRate = errorRatesByImage.getOrDefault(workload.image(), workload.errorRate());
    boolean error = random.nextDouble() < errorRate;
    double millis =
        workload.medianLatencyMs()
            * latencyFactor
            * Math.exp(LATENCY_SPREAD * random.nextGaussian());
    metrics.answered(flow.service(), workload, error ? 500 : 200, millis);
    sent.answered(workload.replicaSet(), error);
  }

  // A copy that finds no ready pod is dropped unseen: no user waits for it.
  private void mirror(Flow flow) {
    if (!flow.hasHealthyUpstream()) {
      return;
    }
    DestinationWorkload workload = flow.workload();
    boolean error = random.nextDouble() < workload.errorRate();
    double millis = workload.medianLatencyMs() * Math.exp(LATENCY_SPREAD * random.nextGaussian());
    metrics.mirrored(flow.service(), workload, error ? 500 : 200, millis);
    sent.mirrored(workload.replicaSet());
  }

  private static void checkRate(double requestsPerSecond) {
    if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException("requests per second: " + requestsPerSecond);
    }
  }

  /** Stops the traffic, the informers and the metrics endpoint. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    mesh.close();
    metrics.close();
  }
}
