package dev.weir.testing;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.CanaryStrategy;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Everything a release changes that its user could see, recorded from watches on the real API
 * server while faults are thrown at it: every canary weight of its VirtualService route, every
 * selector of its stable and canary Services, every AnalysisRun phase, every status of the rollout
 * and every Event on it. A watch that breaks resumes from the last resourceVersion it saw, so no
 * change is missed; and since the real API server's resourceVersions are etcd's revisions, one
 * counter for all objects, the changes of all of them are put in the order they happened.
 *
 * <p>{@link #check} then judges the release by the four invariants every fault story shares ({@link
 * Invariant}).
 */
public final class ReleaseRecorder implements AutoCloseable {

  /** What must hold of a release whatever fault it met. */
  public enum Invariant {
    WEIGHT_NEVER_BACKWARDS("no weight goes backwards except for an abort"),
    NOTHING_PROMOTED_UNJUDGED("nothing promoted without its analysis passing"),
    NO_STEP_TWICE("no step carried out twice"),
    ENDS_AS_IT_SHOULD("the release ends as it should");

    private final String words;

    Invariant(String words) {
      this.words = words;
    }

    @Override
    public String toString() {
      return words;
    }
  }

  /** How the release should end. */
  public enum Outcome {
    /** Healthy on the new revision, all traffic on it. */
    PROMOTED,
    /** Degraded, aborted back to the stable revision, all traffic on it. */
    ABORTED
  }

  /** One change seen, at its resourceVersion. */
  sealed interface Seen permits Weight, Selects, RunPhase, Status, Told {
    long at();

    /** One line of the record. */
    String line();
  }

  record Weight(long at, int canary) implements Seen {
    public String line() {
      return at + " weight " + canary;
    }
  }

  record Selects(long at, String service, String hash) implements Seen {
    public String line() {
      return at + " " + service + " selects " + hash;
    }
  }

  record RunPhase(long at, String name, String site, String hash, AnalysisPhase phase)
      implements Seen {
    public String line() {
      return at + " run " + name + " " + phase;
    }
  }

  record Status(long at, RolloutStatus status) implements Seen {
    public String line() {
      return at
          + " rollout at step "
          + status.currentStepIndex
          + " "
          + status.phase
          + " weight "
          + status.currentWeight
          + (Boolean.TRUE.equals(status.abort) ? " abort" : "")
          + " stable "
          + status.stableRS;
    }
  }

  record Told(long at, String reason, String message) implements Seen {
    public String line() {
      return at + " event " + reason + ": " + message;
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String rollout;
  private final CanaryStrategy canary;
  private final String virtualService;
  private final String route;
  private final List<Seen> seen = new ArrayList<>();
  private final List<Watch> watches = new ArrayList<>();
  private final List<String> broken = new ArrayList<>();
  private volatile boolean closed;

  /** "too old resource version: 579 (601)": the oldest version the server can watch from. */
  private static final java.util.regex.Pattern OLDEST_KEPT =
      java.util.regex.Pattern.compile("too old resource version: \\d+ \\((\\d+)\\)");

  private ReleaseRecorder(KubernetesClient client, Rollout rollout) {
    this.client = client;
    this.namespace = rollout.getMetadata().getNamespace();
    this.rollout = rollout.getMetadata().getName();
    this.canary = rollout.getSpec().strategy.canary;
    var vs = canary.trafficRouting.istio.virtualService;
    this.virtualService = vs.name;
    this.route = vs.routes == null || vs.routes.isEmpty() ? null : vs.routes.get(0);
  }

  /**
   * Starts recording the release of a canary rollout routed by one Istio VirtualService: what is
   * there now, then every change.
   */
  public static ReleaseRecorder start(KubernetesClient client, Rollout rollout) {
    var recorder = new ReleaseRecorder(client, rollout);
    recorder.watchAll();
    return recorder;
  }

  private void watchAll() {
    follow(
        client.resources(VirtualService.class),
        vs -> {
          if (virtualService.equals(vs.getMetadata().getName())) {
            add(new Weight(rv(vs), RolloutScenario.canaryWeight(vs, route, canary.canaryService)));
          }
        },
        true);
    follow(
        client.services(),
        service -> {
          String name = service.getMetadata().getName();
          if (name.equals(canary.stableService) || name.equals(canary.canaryService)) {
            var selector = service.getSpec().getSelector();
            add(
                new Selects(
                    rv(service),
                    name,
                    selector == null
                        ? null
                        : selector.get(WellKnownNames.POD_TEMPLATE_HASH_LABEL)));
          }
        },
        true);
    follow(
        client.resources(AnalysisRun.class),
        run -> {
          var labels = run.getMetadata().getLabels();
          if (labels != null && rollout.equals(labels.get(WellKnownNames.ROLLOUT_LABEL))) {
            add(
                new RunPhase(
                    rv(run),
                    run.getMetadata().getName(),
                    labels.get(WellKnownNames.ANALYSIS_SITE_LABEL),
                    labels.get(WellKnownNames.POD_TEMPLATE_HASH_LABEL),
                    run.getStatus() == null ? null : run.getStatus().phase));
          }
        },
        true);
    follow(
        client.resources(Rollout.class),
        r -> {
          if (rollout.equals(r.getMetadata().getName()) && r.getStatus() != null) {
            add(new Status(rv(r), r.getStatus()));
          }
        },
        true);
    // Only the Events told from now on: the stable revision's own are history.
    follow(
        client.v1().events(),
        e -> {
          if (rollout.equals(e.getInvolvedObject().getName())) {
            add(new Told(rv(e), e.getReason(), e.getMessage()));
          }
        },
        false);
  }

  private <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>>
      void follow(MixedOperation<T, L, R> kind, Consumer<T> record, boolean present) {
    var list = kind.inNamespace(namespace).list();
    if (present) {
      list.getItems().forEach(record);
    }
    watch(kind, record, list.getMetadata().getResourceVersion());
  }

  /**
   * Watches from a resourceVersion on. A restarted API server remembers changes only from its own
   * start (its watch cache begins at etcd's revision then), so a watch resuming from before it ends
   * with 410 Gone, naming the oldest version it can serve; nothing changed between the two (the
   * server was down), and the watch goes on from there without a hole.
   */
  private <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>>
      void watch(MixedOperation<T, L, R> kind, Consumer<T> record, String from) {
    var last = new java.util.concurrent.atomic.AtomicReference<>(from);
    Watcher<T> watcher =
        new Watcher<T>() {
          @Override
          public void eventReceived(Action action, T object) {
            if (action == Action.ADDED || action == Action.MODIFIED) {
              record.accept(object);
            }
            last.set(object.getMetadata().getResourceVersion());
          }

          @Override
          public void onClose(WatcherException cause) {
            var oldest = OLDEST_KEPT.matcher(String.valueOf(cause.getMessage()));
            if (cause.isHttpGone() && oldest.find() && !closed) {
              watch(kind, record, oldest.group(1));
              return;
            }
            synchronized (broken) {
              broken.add(kind.getClass().getSimpleName() + ": " + cause.getMessage());
            }
          }
        };
    synchronized (watches) {
      if (!closed) {
        watches.add(
            kind.inNamespace(namespace)
                .watch(new ListOptionsBuilder().withResourceVersion(from).build(), watcher));
      }
    }
  }

  private static long rv(HasMetadata object) {
    return Long.parseLong(object.getMetadata().getResourceVersion());
  }

  private synchronized void add(Seen change) {
    seen.add(change);
  }

  /** How many changes were recorded so far: a clock that ticks with the release's writes. */
  public synchronized int changes() {
    return seen.size();
  }

  /** Everything seen, in the order it happened. */
  public synchronized List<Seen> timeline() {
    var ordered = new ArrayList<>(seen);
    ordered.sort(Comparator.comparingLong(Seen::at));
    // The same object seen twice (listed, then watched) at the same version counts once.
    var distinct = new ArrayList<Seen>();
    for (Seen s : ordered) {
      if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(s)) {
        distinct.add(s);
      }
    }
    return distinct;
  }

  /** The canary weights of the route, in order, each change once. */
  public List<Integer> weights() {
    var weights = new ArrayList<Integer>();
    for (Seen s : timeline()) {
      if (s instanceof Weight w
          && (weights.isEmpty() || weights.get(weights.size() - 1) != w.canary())) {
        weights.add(w.canary());
      }
    }
    return weights;
  }

  /**
   * Judges the release of {@code released} over {@code stable} by the record and by what the user
   * sees now; every invariant that did not hold, with what broke it.
   */
  public Map<Invariant, List<String>> check(String stable, String released, Outcome outcome) {
    var violations = new EnumMap<Invariant, List<String>>(Invariant.class);
    for (Invariant invariant : Invariant.values()) {
      violations.put(invariant, new ArrayList<>());
    }
    var timeline = timeline();
    checkTraffic(timeline, released, violations);
    checkStepsOnce(timeline, released, violations.get(Invariant.NO_STEP_TWICE));
    checkEnd(stable, released, outcome, violations.get(Invariant.ENDS_AS_IT_SHOULD));
    synchronized (broken) {
      broken.forEach(b -> violations.get(Invariant.ENDS_AS_IT_SHOULD).add("watch broke: " + b));
    }
    violations.values().removeIf(List::isEmpty);
    return violations;
  }

  /** Throws, with the record, when any invariant did not hold. */
  public void assertHeld(String stable, String released, Outcome outcome) {
    var violations = check(stable, released, outcome);
    if (!violations.isEmpty()) {
      throw new AssertionError(
          "the release of "
              + released
              + " broke: "
              + violations
              + "\nweights seen: "
              + weights()
              + "\nrecord:\n"
              + describe());
    }
  }

  /** The record, one change a line, for a failure message. */
  public String describe() {
    return timeline().stream().map(Seen::line).collect(Collectors.joining("\n"));
  }

  private void checkTraffic(
      List<Seen> timeline, String released, Map<Invariant, List<String>> violations) {
    var backwards = violations.get(Invariant.WEIGHT_NEVER_BACKWARDS);
    var unjudged = violations.get(Invariant.NOTHING_PROMOTED_UNJUDGED);
    var passed = new HashSet<String>();
    boolean abortCause = false;
    boolean backgroundBad = false;
    boolean promoted = false;
    Integer last = null;
    for (Seen s : timeline) {
      if (s instanceof RunPhase r && released.equals(r.hash()) && r.phase() != null) {
        if (r.phase() == AnalysisPhase.Successful) {
          passed.add(r.site());
        }
        if (r.phase() == AnalysisPhase.Failed || r.phase() == AnalysisPhase.Error) {
          abortCause = true;
          backgroundBad |= "background".equals(r.site());
        }
      } else if (s instanceof Status st && Boolean.TRUE.equals(st.status().abort)) {
        abortCause = true;
      } else if (s instanceof Selects x
          && x.service().equals(canary.stableService)
          && released.equals(x.hash())
          && !promoted) {
        promoted = true;
        unjudged(canary.steps.size(), passed, backgroundBad, "the stable Service moved", unjudged);
      } else if (s instanceof Weight w) {
        int weight = w.canary();
        if (last != null && weight < last && !abortCause && !promoted) {
          backwards.add("canary weight went back from " + last + " to " + weight + " at " + w.at());
        }
        if (last != null && weight > last) {
          if (abortCause) {
            backwards.add(
                "canary weight rose from "
                    + last
                    + " to "
                    + weight
                    + " at "
                    + w.at()
                    + " after the release was aborted");
          }
          unjudged(stepSetting(weight), passed, backgroundBad, "weight " + weight + "%", unjudged);
        }
        last = weight;
      }
    }
  }

  /** The index of the step that sets this weight; past the last step for promotion's 100 %. */
  private int stepSetting(int weight) {
    for (int i = 0; i < canary.steps.size(); i++) {
      if (Objects.equals(canary.steps.get(i).setWeight, weight)) {
        return i;
      }
    }
    return canary.steps.size();
  }

  /** Every analysis step before {@code step} must have passed, and the background not failed. */
  private void unjudged(
      int step, Set<String> passed, boolean backgroundBad, String what, List<String> out) {
    for (int i = 0; i < step && i < canary.steps.size(); i++) {
      if (canary.steps.get(i).analysis != null && !passed.contains("step-" + i)) {
        out.add(what + " before the analysis of step " + (i + 1) + " passed");
      }
    }
    if (backgroundBad) {
      out.add(what + " after the background analysis failed");
    }
  }

  private void checkStepsOnce(List<Seen> timeline, String released, List<String> out) {
    var entered = new LinkedHashMap<Integer, Integer>();
    Integer last = null;
    var runs = new HashMap<String, Set<String>>();
    var told = new HashMap<String, Integer>();
    for (Seen s : timeline) {
      if (s instanceof Weight w) {
        if (last != null && w.canary() != last) {
          entered.merge(w.canary(), 1, Integer::sum);
        }
        last = w.canary();
      } else if (s instanceof RunPhase r && released.equals(r.hash())) {
        runs.computeIfAbsent(r.site(), k -> new HashSet<>()).add(r.name());
      } else if (s instanceof Told t && "WeightSet".equals(t.reason())) {
        told.merge(t.message(), 1, Integer::sum);
      }
    }
    entered.forEach(
        (weight, times) -> {
          if (times > 1) {
            out.add("canary weight " + weight + "% set " + times + " times");
          }
        });
    runs.forEach(
        (site, names) -> {
          if (names.size() > 1) {
            out.add("analysis " + site + " run " + names.size() + " times: " + names);
          }
        });
    told.forEach(
        (message, times) -> {
          if (times > 1) {
            out.add("Event WeightSet \"" + message + "\" told " + times + " times");
          }
        });
  }

  private void checkEnd(String stable, String released, Outcome outcome, List<String> out) {
    var user = new RolloutScenario(client, namespace, rollout);
    RolloutStatus status = user.status();
    if (status.phase == null) {
      out.add("the rollout has no status");
      return;
    }
    String expected = outcome == Outcome.PROMOTED ? released : stable;
    int weight = user.canaryWeight(virtualService, route, canary.canaryService);
    String selected = user.serviceSelectorHash(canary.stableService);
    boolean phaseRight =
        outcome == Outcome.PROMOTED
            ? status.phase == RolloutPhase.Healthy && released.equals(status.currentPodHash)
            : status.phase == RolloutPhase.Degraded && Boolean.TRUE.equals(status.abort);
    if (!phaseRight
        || !expected.equals(status.stableRS)
        || weight != 0
        || !expected.equals(selected)) {
      out.add(
          "expected "
              + outcome
              + " on "
              + expected
              + ", saw phase "
              + status.phase
              + (Boolean.TRUE.equals(status.abort) ? " (aborted)" : "")
              + ", stable "
              + status.stableRS
              + ", canary weight "
              + weight
              + "%, stable Service selecting "
              + selected
              + ": "
              + status.message);
    }
  }

  @Override
  public void close() {
    synchronized (watches) {
      closed = true;
      watches.forEach(Watch::close);
    }
  }
}
