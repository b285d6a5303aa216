package dev.weir.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.bench.ApiCall.Kind;
import dev.weir.bench.ApiCall.Party;
import dev.weir.rollout.ReplicaSets;
import dev.weir.testing.ClassicCanary;
import dev.weir.testing.Manifests;
import dev.weir.testing.ReplicaSetKubelet;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Version;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.api.config.Utils;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Counts the writes Weir makes to the API server while it carries the example canary ({@code
 * examples/canary-istio}) from v1 to v2 on the fabric8 mock API server in CRUD mode: per step
 * transition, and per idle reconcile, where the target is none at all (bench/README.md).
 *
 * <p>Weir, the kubelet fixture and this script each talk through their own client with its own
 * User-Agent, so the server's record of requests tells whose write each one was. The script: v1
 * becomes Healthy; idle reconciles (an annotation Weir does not read changed on the Rollout, which
 * triggers a reconcile because generation-aware filtering is off, or on the VirtualService, a
 * Service or a ReplicaSet, which map to it); v2 runs to the manual pause; idle reconciles again;
 * promote; v2 runs through the timed pauses to Healthy and v1 scales down; idle reconciles once
 * more; Weir restarts and reconciles the settled rollout. Release phases are cut into windows at
 * each status write of Weir's that changes the step index, the revision or the stable revision.
 *
 * <p>Usage: {@code ApiWritesBench [--idle N] [--verbose]}. Exit status: 0 when no idle reconcile
 * wrote anything, 1 when one did, 2 when the script could not be carried out.
 */
public final class ApiWritesBench {

  private static final String NAMESPACE = "shop";
  private static final String NAME = "checkout";
  private static final String VIRTUAL_SERVICE = "checkout";
  private static final String TOUCH_ANNOTATION = "bench.weir.dev/touched";

  /** How long Weir and the kubelet must stay silent before a phase is over. */
  private static final Duration QUIET = Duration.ofMillis(500);

  private static final Duration SETTLE_LIMIT = Duration.ofSeconds(30);
  private static final Duration RECONCILE_LIMIT = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The table's row: label, Weir's writes by kind and in all, Weir's reads, others' writes. */
  private static final String ROW = "%-48s %6s %6s %6s %6s %6s %6s | %6s | %6s %6s | %7s %6s";

  private static final List<String> KIND_COLUMNS =
      List.of(Kind.STATUS, Kind.VIRTUAL_SERVICE, Kind.SERVICE, Kind.REPLICA_SET, Kind.EVENT);

  /** Each reconcile reads the VirtualService once to observe the weights: a reconcile's trace. */
  private static final Predicate<ApiCall> RECONCILE_TRACE =
      c -> c.party() == Party.WEIR && c.isGetOf("virtualservices", VIRTUAL_SERVICE);

  enum PhaseKind {
    SETUP,
    IDLE,
    RELEASE
  }

  /**
   * A stretch of the script and every request the server received during it.
   *
   * @param touches for an idle phase, how many reconciles the script triggered
   * @param reconciles for an idle phase, how many of them left their trace (a VirtualService read)
   */
  record Phase(String label, PhaseKind kind, List<ApiCall> calls, int touches, long reconciles) {}

  /** Part of a release phase, ending with the status write that recorded a change of step. */
  record Window(String label, List<ApiCall> calls) {}

  /** What a status write of Weir's says about the progress of the release. */
  record Progress(String podHash, Integer stepIndex, String stableRS) {}

  private final int idleTouches;
  private final boolean verbose;
  private final AtomicInteger touchSequence = new AtomicInteger();
  private final Map<String, String> revisionNames = new HashMap<>();
  private final List<Phase> phases = new ArrayList<>();
  private final Machine machine = Machine.before();
  private Rollout declared;
  private int phaseStart;
  private String phaseLabel;
  private Failure failure;

  private ApiWritesBench(int idleTouches, boolean verbose) {
    this.idleTouches = idleTouches;
    this.verbose = verbose;
  }

  public static void main(String[] args) {
    int idle = 12;
    boolean verbose = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--idle" -> idle = Integer.parseInt(args[++i]);
        case "--verbose", "-v" -> verbose = true;
        default -> {
          System.err.println("usage: ApiWritesBench [--idle N] [--verbose]");
          System.exit(2);
        }
      }
    }
    int status;
    try {
      status = new ApiWritesBench(idle, verbose).run();
    } catch (Exception | AssertionError e) {
      System.out.flush();
      System.err.println("api-writes: the script could not be carried out: " + e);
      e.printStackTrace();
      status = 2;
    }
    System.out.flush();
    // The operator's and the HTTP client's threads are not all daemons.
    System.exit(status);
  }

  private int run() throws IOException {
    long started = System.nanoTime();
    var dispatcher = new ApiCallLog.RecordingDispatcher();
    var server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    var log = new ApiCallLog(server, dispatcher);
    try (var script = client(server, Party.SCRIPT);
        var kubeletClient = client(server, Party.KUBELET);
        var weirClient = client(server, Party.WEIR)) {
      begin(log, "v1 applied, becomes Healthy");
      Manifests.applyCrds(script);
      Manifests.apply(script, "examples/canary-istio/namespace.yaml");
      Manifests.apply(script, "examples/canary-istio/services.yaml");
      Manifests.apply(script, "examples/canary-istio/virtualservice.yaml");
      try (var kubelet = new ReplicaSetKubelet(kubeletClient).start()) {
        release(log, script, weirClient);
        phases.add(restart(log, weirClient));
      } catch (RuntimeException | AssertionError e) {
        // The script stopped; what Weir did in the unfinished phase is where to look.
        failure = new Failure(phaseLabel, e, log.between(phaseStart, log.mark()));
      }
    } finally {
      server.destroy();
    }
    return report(Duration.ofNanos(System.nanoTime() - started));
  }

  /** A script that stopped: in which phase, why, and every request of that phase. */
  record Failure(String phase, Throwable cause, List<ApiCall> calls) {}

  /** Starts a phase: what follows in the log belongs to it. */
  private void begin(ApiCallLog log, String label) {
    phaseStart = log.mark();
    phaseLabel = label;
  }

  /** Ends the current phase. */
  private Phase end(PhaseKind kind, ApiCallLog log) {
    return new Phase(phaseLabel, kind, log.between(phaseStart, log.mark()), 0, 0);
  }

  /** The release itself, with idle phases where it rests: v1, the manual pause, v2. */
  private void release(ApiCallLog log, KubernetesClient script, KubernetesClient weirClient) {
    try (var weir = RunningWeir.start(weirClient)) {
      // Compressed pauses and delays, as the canary stories use: the steps are the example's.
      declared = Manifests.compressedClassicCanary();
      script.resource(declared).create();
      var checkout = new RolloutScenario(script, NAMESPACE, NAME);
      var v1 = checkout.awaitStatus("v1 Healthy", s -> s.phase == RolloutPhase.Healthy);
      awaitQuiet(log);
      revisionNames.put(v1.stableRS, "v1");
      phases.add(end(PhaseKind.SETUP, log));

      phases.add(idle("idle, v1 Healthy", log, script, v1.stableRS));

      begin(log, "image v2 -> paused at step 1 (pause {})");
      checkout.setImage(ClassicCanary.V2);
      var paused =
          checkout.awaitStatus(
              "v2 paused at the manual pause",
              s ->
                  s.phase == RolloutPhase.Paused
                      && Objects.equals(s.currentStepIndex, 1)
                      && !Objects.equals(s.currentPodHash, v1.stableRS));
      awaitQuiet(log);
      String v2 = paused.currentPodHash;
      revisionNames.put(v2, "v2");
      phases.add(end(PhaseKind.RELEASE, log));

      phases.add(idle("idle, paused at step 1", log, script, v1.stableRS));

      begin(log, "promote -> v2 Healthy, v1 scaled down");
      checkout.promote();
      int replicas = declared.getSpec().replicas;
      checkout.awaitStatus(
          "v2 stable and Healthy, v1 scaled down",
          s ->
              s.phase == RolloutPhase.Healthy
                  && v2.equals(s.stableRS)
                  && Objects.equals(s.replicas, replicas)
                  && Objects.equals(checkout.replicasByRevision().get(v1.stableRS), 0));
      awaitQuiet(log);
      phases.add(end(PhaseKind.RELEASE, log));

      phases.add(idle("idle, v2 Healthy", log, script, v2));
    }
  }

  /**
   * A restarted controller's first reconcile of a settled rollout: it resumes from status and the
   * cluster, so it has nothing to write either.
   */
  private Phase restart(ApiCallLog log, KubernetesClient weirClient) {
    begin(log, "idle, Weir restarted, v2 Healthy");
    int from = phaseStart;
    long traced = 0;
    try (var weir = RunningWeir.start(weirClient)) {
      try {
        await("first reconcile after the restart")
            .atMost(RECONCILE_LIMIT)
            .pollInterval(Duration.ofMillis(10))
            .until(() -> log.countSince(from, RECONCILE_TRACE) > 0);
        traced = 1;
      } catch (ConditionTimeoutException e) {
        // No trace to count it by; the window still covers the silence that follows.
      }
      awaitQuiet(log);
      return new Phase(phaseLabel, PhaseKind.IDLE, log.between(from, log.mark()), 1, traced);
    }
  }

  private static KubernetesClient client(KubernetesMockServer server, Party party) {
    return server.createClient(b -> b.editOrNewConfig().withUserAgent(party.userAgent).endConfig());
  }

  /** What an idle phase touches, in turn: objects Weir maps to the rollout. */
  enum TouchTarget {
    ROLLOUT,
    VIRTUAL_SERVICE,
    STABLE_SERVICE,
    STABLE_REPLICA_SET
  }

  /**
   * Triggers reconciles that have nothing to do: each changes an annotation that Weir does not
   * read, on the Rollout or on an object that maps to it, waits for the reconcile's trace, then for
   * silence.
   */
  private Phase idle(String label, ApiCallLog log, KubernetesClient script, String stableHash) {
    begin(log, label);
    int from = phaseStart;
    long traced = 0;
    var targets = TouchTarget.values();
    for (int i = 0; i < idleTouches; i++) {
      long before = log.countSince(from, RECONCILE_TRACE);
      touch(script, targets[i % targets.length], stableHash);
      try {
        await("reconcile after touch " + (i + 1))
            .atMost(RECONCILE_LIMIT)
            .pollInterval(Duration.ofMillis(10))
            .until(() -> log.countSince(from, RECONCILE_TRACE) > before);
        traced++;
      } catch (ConditionTimeoutException e) {
        // A Weir that no longer reads the VirtualService per reconcile leaves no trace; the
        // window still covers the silence that follows.
      }
      awaitQuiet(log);
    }
    return new Phase(label, PhaseKind.IDLE, log.between(from, log.mark()), idleTouches, traced);
  }

  private void touch(KubernetesClient script, TouchTarget target, String stableHash) {
    String patch =
        "{\"metadata\":{\"annotations\":{\""
            + TOUCH_ANNOTATION
            + "\":\""
            + touchSequence.incrementAndGet()
            + "\"}}}";
    var merge = PatchContext.of(PatchType.JSON_MERGE);
    switch (target) {
      case ROLLOUT ->
          script.resources(Rollout.class).inNamespace(NAMESPACE).withName(NAME).patch(merge, patch);
      case VIRTUAL_SERVICE ->
          script
              .resources(VirtualService.class)
              .inNamespace(NAMESPACE)
              .withName(VIRTUAL_SERVICE)
              .patch(merge, patch);
      case STABLE_SERVICE ->
          script
              .services()
              .inNamespace(NAMESPACE)
              .withName(declared.getSpec().strategy.canary.stableService)
              .patch(merge, patch);
      case STABLE_REPLICA_SET ->
          script
              .apps()
              .replicaSets()
              .inNamespace(NAMESPACE)
              .withName(ReplicaSets.name(declared, stableHash))
              .patch(merge, patch);
    }
  }

  private static void awaitQuiet(ApiCallLog log) {
    await("Weir and the kubelet quiet for " + QUIET.toMillis() + " ms")
        .atMost(SETTLE_LIMIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> log.quietFor(QUIET));
  }

  // ---------------------------------------------------------------------------------------------
  // The report

  private int report(Duration wallClock) {
    var out = System.out;
    out.println();
    out.println("Weir API writes: examples/canary-istio on the fabric8 mock API server (CRUD)");
    out.println();
    String header =
        String.format(
            ROW,
            "phase / window",
            "status",
            "VS",
            "Svc",
            "RS",
            "Event",
            "other",
            "total",
            "reads",
            "recs",
            "kubelet",
            "script");
    out.println(
        String.format(
            "%-48s %-41s | %6s | %-13s | %-14s",
            "",
            center("Weir's writes, by kind", 41),
            "Weir's",
            center("Weir's", 13),
            center("writes", 14)));
    out.println(header);
    out.println("-".repeat(header.length()));

    Progress progress = new Progress(null, null, null);
    var transitionCosts = new ArrayList<Integer>();
    var idleWrites = new ArrayList<ApiCall>();
    long idleReconciles = 0;
    long idleTouchesTotal = 0;
    long touchedReconciles = 0;
    long touchedReads = 0;
    for (Phase phase : phases) {
      out.println(row(phase.label(), phase.calls(), phase.kind() == PhaseKind.IDLE, phase));
      if (phase.kind() == PhaseKind.RELEASE) {
        var cut = windows(phase.calls(), progress);
        progress = cut.progress();
        for (Window w : cut.windows()) {
          out.println(row("  " + w.label(), w.calls(), false, null));
          if (w.label().startsWith("step ")) {
            transitionCosts.add(weirWrites(w.calls()).size());
          }
          if (verbose) {
            weirWrites(w.calls()).forEach(c -> out.println(detail(c)));
          }
        }
      } else {
        progress = windows(phase.calls(), progress).progress();
        if (verbose && phase.kind() == PhaseKind.SETUP) {
          weirWrites(phase.calls()).forEach(c -> out.println(detail(c)));
        }
      }
      if (phase.kind() == PhaseKind.IDLE) {
        idleWrites.addAll(weirWrites(phase.calls()));
        idleReconciles += phase.reconciles();
        idleTouchesTotal += phase.touches();
        if (phase.touches() == idleTouches) {
          touchedReconciles += phase.reconciles();
          touchedReads += phase.calls().stream().filter(c -> c.party() == Party.WEIR).count();
        }
      }
    }
    out.println("-".repeat(header.length()));
    out.println(
        "status: the Rollout's status subresource; VS: the VirtualService; Svc: the stable and"
            + " canary Services; RS: ReplicaSets;");
    out.println(
        "reads: Weir's GETs, lists and watches; recs: reconciles seen / triggered (idle phases:"
            + " a reconcile reads the VirtualService once);");
    out.println(
        "kubelet: the fixture's ReplicaSet status writes; script: this program's own writes"
            + " (manifests, image, promote, annotation touches).");
    out.println();

    if (!transitionCosts.isEmpty()) {
      out.printf(
          "step transition: %d-%d Weir writes (%s over %d transitions)%n",
          transitionCosts.stream().mapToInt(Integer::intValue).min().orElse(0),
          transitionCosts.stream().mapToInt(Integer::intValue).max().orElse(0),
          transitionCosts.stream().map(String::valueOf).collect(Collectors.joining(", ")),
          transitionCosts.size());
    }
    out.printf(
        "idle reconcile:  %d Weir writes over %d reconciles seen (%d triggered); target 0 -> %s%n",
        idleWrites.size(),
        idleReconciles,
        idleTouchesTotal,
        idleTouchesTotal == 0 ? "not measured" : idleWrites.isEmpty() ? "met" : "MISSED");
    if (touchedReconciles > 0) {
      out.printf(
          "                 %.1f Weir reads per touched idle reconcile%n",
          (double) touchedReads / touchedReconciles);
    }
    for (ApiCall c : idleWrites) {
      out.println("  idle write: " + c);
      out.println("    " + abbreviate(written(c), 800));
    }
    var all = phases.stream().flatMap(p -> p.calls().stream()).toList();
    var rejected = weirWrites(all).stream().filter(ApiCall::failed).toList();
    if (!rejected.isEmpty()) {
      out.printf(
          "rejected:        %d of Weir's writes were answered with an error: %s%n",
          rejected.size(),
          rejected.stream()
              .collect(Collectors.groupingBy(ApiCall::code, Collectors.counting()))
              .entrySet()
              .stream()
              .map(e -> e.getValue() + " x " + e.getKey())
              .collect(Collectors.joining(", ")));
    }
    if (failure != null) {
      reportFailure();
    }
    out.println();
    conditions(wallClock);
    if (failure != null) {
      return 2;
    }
    return idleWrites.isEmpty() ? 0 : 1;
  }

  /** Where the script stopped, and the last of Weir's writes before it, with the answers. */
  private void reportFailure() {
    var out = System.out;
    var writes = weirWrites(failure.calls());
    out.println();
    out.println("SCRIPT STOPPED in phase \"" + failure.phase() + "\": " + failure.cause());
    out.printf(
        "  in that phase: %d requests, %d of them Weir's writes (%d answered with an error)%n",
        failure.calls().size(), writes.size(), writes.stream().filter(ApiCall::failed).count());
    int shown = Math.min(writes.size(), 20);
    if (shown > 0) {
      out.println("  Weir's last " + shown + " writes:");
      writes.subList(writes.size() - shown, writes.size()).forEach(c -> out.println(detail(c)));
    }
  }

  private String row(String label, List<ApiCall> calls, boolean idle, Phase phase) {
    var writes = weirWrites(calls);
    Map<String, Long> byKind = new LinkedHashMap<>();
    KIND_COLUMNS.forEach(k -> byKind.put(k, 0L));
    long other = 0;
    for (ApiCall c : writes) {
      String kind = c.kind();
      if (byKind.containsKey(kind)) {
        byKind.merge(kind, 1L, Long::sum);
      } else {
        other++;
      }
    }
    long reads = calls.stream().filter(c -> c.party() == Party.WEIR && c.isRead()).count();
    long kubelet = calls.stream().filter(c -> c.party() == Party.KUBELET && c.isWrite()).count();
    long script = calls.stream().filter(c -> c.party() == Party.SCRIPT && c.isWrite()).count();
    String recs = idle && phase != null ? phase.reconciles() + "/" + phase.touches() : "";
    return String.format(
        ROW.replace("%6s %6s %6s %6s %6s %6s | %6s | %6s", "%6d %6d %6d %6d %6d %6d | %6d | %6d")
            .replace("%7s %6s", "%7d %6d"),
        abbreviate(label, 48),
        byKind.get(Kind.STATUS),
        byKind.get(Kind.VIRTUAL_SERVICE),
        byKind.get(Kind.SERVICE),
        byKind.get(Kind.REPLICA_SET),
        byKind.get(Kind.EVENT),
        other,
        writes.size(),
        reads,
        recs,
        kubelet,
        script);
  }

  private static List<ApiCall> weirWrites(List<ApiCall> calls) {
    return calls.stream().filter(c -> c.party() == Party.WEIR && c.isWrite()).toList();
  }

  record Cut(List<Window> windows, Progress progress) {}

  /**
   * Cuts a release phase after each status write of Weir's that moves the release on: another
   * revision, another step index, another stable revision. What follows the last of them is one
   * more window.
   */
  private Cut windows(List<ApiCall> calls, Progress progress) {
    var windows = new ArrayList<Window>();
    int start = 0;
    for (int i = 0; i < calls.size(); i++) {
      ApiCall c = calls.get(i);
      if (c.party() != Party.WEIR || !c.isRolloutStatusWrite(NAME)) {
        continue;
      }
      Progress next = progressIn(c, progress);
      if (next.equals(progress)) {
        continue;
      }
      windows.add(new Window(transition(progress, next), calls.subList(start, i + 1)));
      progress = next;
      start = i + 1;
    }
    if (start < calls.size()) {
      boolean settled = Objects.equals(progress.podHash(), progress.stableRS());
      String label =
          settled
              ? "then, " + name(progress.stableRS()) + " stable: old revision retired"
              : "then, still at step " + progress.stepIndex();
      windows.add(new Window(label, calls.subList(start, calls.size())));
    }
    return new Cut(windows, progress);
  }

  private static Progress progressIn(ApiCall statusWrite, Progress before) {
    JsonNode status;
    try {
      status = JSON.readTree(statusWrite.body()).path("status");
    } catch (IOException e) {
      return before;
    }
    if (!status.isObject()) {
      return before;
    }
    return new Progress(
        status.has("currentPodHash") ? status.get("currentPodHash").asText() : before.podHash(),
        status.has("currentStepIndex")
            ? Integer.valueOf(status.get("currentStepIndex").asInt())
            : before.stepIndex(),
        status.has("stableRS") ? status.get("stableRS").asText() : before.stableRS());
  }

  private String transition(Progress from, Progress to) {
    var parts = new ArrayList<String>();
    if (from.podHash() != null && !Objects.equals(from.podHash(), to.podHash())) {
      parts.add("new revision " + name(to.podHash()) + ", at step " + to.stepIndex());
    } else if (!Objects.equals(from.stepIndex(), to.stepIndex())) {
      parts.add(
          "step "
              + from.stepIndex()
              + "->"
              + to.stepIndex()
              + ": "
              + stepsDone(from.stepIndex(), to.stepIndex()));
    }
    if (from.stableRS() != null && !Objects.equals(from.stableRS(), to.stableRS())) {
      parts.add("promotion: " + name(to.stableRS()) + " stable");
    }
    return parts.isEmpty() ? "status" : String.join("; ", parts);
  }

  private String stepsDone(Integer from, Integer to) {
    var steps = declared.getSpec().strategy.canary.steps;
    if (from == null || to == null || to <= from || to > steps.size()) {
      return "restarted";
    }
    return steps.subList(from, to).stream()
            .map(ApiWritesBench::describe)
            .collect(Collectors.joining(", "))
        + " done";
  }

  private static String describe(CanaryStep step) {
    if (step.setWeight != null) {
      return "setWeight " + step.setWeight;
    }
    if (step.pause != null) {
      return step.pause.duration == null ? "pause {}" : "pause " + step.pause.duration.getStrVal();
    }
    return "setCanaryScale";
  }

  private String name(String hash) {
    return revisionNames.getOrDefault(hash, hash);
  }

  private void conditions(Duration wallClock) {
    var out = System.out;
    if (declared == null) {
      return;
    }
    var spec = declared.getSpec();
    var canary = spec.strategy.canary;
    out.println("conditions");
    machine.after();
    out.print(machine.describe());
    out.printf(
        "  libraries  fabric8 kubernetes-client %s (mock API server, CRUD mode), JOSDK %s%n",
        Version.clientVersion(), Utils.VERSION.getSdkVersion());
    out.printf(
        "  rollout    %s/%s, %d replicas, %d steps: %s%n",
        NAMESPACE,
        NAME,
        spec.replicas,
        canary.steps.size(),
        canary.steps.stream().map(ApiWritesBench::describe).collect(Collectors.joining(", ")));
    out.printf(
        "             pauses compressed to %s, scaleDownDelaySeconds %d,"
            + " abortScaleDownDelaySeconds %d; Istio VirtualService %s, Services %s and %s%n",
        canary.steps.stream()
            .filter(s -> s.pause != null && s.pause.duration != null)
            .map(s -> s.pause.duration.getStrVal())
            .distinct()
            .collect(Collectors.joining(", ")),
        canary.scaleDownDelaySeconds,
        canary.abortScaleDownDelaySeconds,
        VIRTUAL_SERVICE,
        canary.stableService,
        canary.canaryService);
    out.printf(
        "  idle       %d reconciles per idle phase, each triggered by a change of annotation %s"
            + " on, in turn, the Rollout, the VirtualService, the stable Service and the stable"
            + " ReplicaSet; then one restart of Weir%n",
        idleTouches, TOUCH_ANNOTATION);
    out.printf(
        "  run        %.1f s wall clock, %d requests recorded%n",
        wallClock.toMillis() / 1000.0,
        phases.stream().mapToInt(p -> p.calls().size()).sum()
            + (failure == null ? 0 : failure.calls().size()));
  }

  private static String detail(ApiCall write) {
    return "      " + write + "  " + abbreviate(written(write), 160);
  }

  /** What a write carried: for a status write, the status alone (the rest is the object read). */
  private static String written(ApiCall write) {
    if (write.isRolloutStatusWrite(NAME)) {
      try {
        JsonNode status = JSON.readTree(write.body()).path("status");
        if (!status.isMissingNode()) {
          return "status: " + status;
        }
      } catch (IOException e) {
        // Not JSON: shown as it came.
      }
    }
    return "body: " + write.body();
  }

  private static String center(String s, int width) {
    int left = Math.max(0, (width - s.length()) / 2);
    return " ".repeat(left) + s;
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
