package dev.weir.testing;

import static org.awaitility.Awaitility.await;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A rollout as its user sees it (phase, step, weights, replicas, events), asserted in the words of
 * a release:
 *
 * <pre>{@code
 * assertThatRollout(checkout).isPausedAtStep(2).withCanaryWeight(10).hasReplicas(v2, 1);
 * awaitRollout(checkout, "v2 promoted", r -> r.isHealthyOn(v2));
 * }</pre>
 *
 * <p>Steps count from 1, as Weir's messages and {@code kubectl weir get} count them. The rollout is
 * read when the assertion is made; the VirtualService, the ReplicaSets, the Services and the Events
 * when a check first needs them. A failure says what the user would have seen instead.
 */
public final class RolloutAssert extends AbstractAssert<RolloutAssert, Rollout> {

  private final RolloutScenario scenario;
  private Integer canaryWeight;
  private Map<String, Integer> replicas;
  private List<String> events;

  private RolloutAssert(RolloutScenario scenario) {
    super(scenario.rollout(), RolloutAssert.class);
    this.scenario = scenario;
  }

  /** The rollout as its user sees it now. */
  public static RolloutAssert assertThatRollout(RolloutScenario rollout) {
    return new RolloutAssert(rollout);
  }

  /**
   * Waits, at most {@link RolloutScenario#PATIENCE}, until what the user sees meets the
   * expectation, and returns the status that met it. A timeout says what the user saw last.
   */
  public static RolloutStatus awaitRollout(
      RolloutScenario rollout, String what, Consumer<RolloutAssert> expectation) {
    var met = new AtomicReference<RolloutStatus>();
    var last = new AtomicReference<AssertionError>();
    try {
      await(what)
          .atMost(RolloutScenario.PATIENCE)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                var seen = new RolloutAssert(rollout);
                try {
                  expectation.accept(seen);
                } catch (AssertionError e) {
                  last.set(e);
                  return false;
                }
                met.set(seen.status());
                return true;
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "rollout "
              + rollout.namespace()
              + "/"
              + rollout.name()
              + " never reached: "
              + what
              + (last.get() == null ? "" : "\n" + last.get().getMessage()),
          e);
    }
    return met.get();
  }

  // The release's state, from status.

  /** Phase Healthy. */
  public RolloutAssert isHealthy() {
    return expect("to be Healthy", s -> s.phase == RolloutPhase.Healthy);
  }

  /** Healthy on the revision: it is stable, it is the one declared, nothing is in flight. */
  public RolloutAssert isHealthyOn(String revision) {
    return expect(
        "to be Healthy on revision " + revision,
        s ->
            s.phase == RolloutPhase.Healthy
                && revision.equals(s.stableRS)
                && revision.equals(s.currentPodHash));
  }

  /** Phase Paused at the step, counted from 1. */
  public RolloutAssert isPausedAtStep(int step) {
    return expect(
        "to be Paused at step " + step + "/" + stepCount(),
        s -> s.phase == RolloutPhase.Paused && Objects.equals(s.currentStepIndex, step - 1));
  }

  /** Past its last step: every step of the release done. */
  public RolloutAssert hasDoneEveryStep() {
    int steps = stepCount();
    return expect(
        "to have done all its " + steps + " steps", s -> Objects.equals(s.currentStepIndex, steps));
  }

  /** Aborted, by a user or by Weir, and the abort carried out: phase Degraded. */
  public RolloutAssert isAborted() {
    return expect("to be aborted", RolloutAssert::aborted);
  }

  /** Aborted, with the revision stable: the one all traffic goes back to. */
  public RolloutAssert isAbortedBackTo(String revision) {
    return expect(
        "to be aborted back to revision " + revision,
        s -> aborted(s) && revision.equals(s.stableRS));
  }

  /** The abort message says each of these. */
  public RolloutAssert because(String... words) {
    return expect(
        "to be aborted because of " + String.join(", ", words),
        s -> s.abortMessage != null && Arrays.stream(words).allMatch(s.abortMessage::contains));
  }

  /** The status message says each of these. */
  public RolloutAssert saying(String... words) {
    return expect(
        "to say " + String.join(", ", words),
        s -> s.message != null && Arrays.stream(words).allMatch(s.message::contains));
  }

  /** The revision is stable. */
  public RolloutAssert hasStable(String revision) {
    return expect("to have revision " + revision + " stable", s -> revision.equals(s.stableRS));
  }

  /** The revision is the one declared (released, or aborted): status.currentPodHash. */
  public RolloutAssert declares(String revision) {
    return expect("to declare revision " + revision, s -> revision.equals(s.currentPodHash));
  }

  /** Each condition is True. */
  public RolloutAssert hasCondition(String... types) {
    return expect(
        "to have condition " + String.join(", ", types) + " True",
        s -> Arrays.stream(types).allMatch(t -> trueConditions(s).contains(t)));
  }

  /** The condition is True, for this reason. */
  public RolloutAssert hasConditionFor(String type, String reason) {
    return expect(
        "to have condition " + type + " True with reason " + reason,
        s ->
            s.conditions.stream()
                .anyMatch(
                    c ->
                        type.equals(c.getType())
                            && "True".equals(c.getStatus())
                            && reason.equals(c.getReason())));
  }

  /**
   * A revision whose declaration is held: it was aborted before, so it is declared and aborted, no
   * traffic goes to it, and the rollout says why (reason RevisionAborted).
   */
  public RolloutAssert holds(String revision) {
    return declares(revision)
        .isAborted()
        .hasConditionFor("Stalled", "RevisionAborted")
        .saying("revision " + revision + " was aborted at");
  }

  /** status.abortedRevisions remembers the revision as aborted for this reason. */
  public RolloutAssert remembersAborted(String revision, String reason) {
    return expect(
        "to remember revision " + revision + " as aborted (" + reason + ")",
        s ->
            s.abortedRevisions.stream()
                .anyMatch(r -> revision.equals(r.podTemplateHash) && reason.equals(r.reason)));
  }

  // Traffic and replicas, from the objects Weir manages.

  /**
   * The weight the mesh gives the new revision: its destination on the rollout's route (the canary
   * Service, blue-green's preview Service, or the canary subset).
   */
  public RolloutAssert withCanaryWeight(int percent) {
    return expect(
        "to send " + percent + " % of the traffic to the canary",
        s -> Objects.equals(canaryWeight(), percent));
  }

  /** The revision's ReplicaSet asks for this many replicas. */
  public RolloutAssert hasReplicas(String revision, int count) {
    return expect(
        "to have " + count + " replicas of revision " + revision,
        s -> Objects.equals(replicas().get(revision), count));
  }

  /** The Service selects the revision's pods. */
  public RolloutAssert hasServiceSelecting(String service, String revision) {
    String selected = scenario.serviceSelectorHash(service);
    return expect(
        "to have Service "
            + service
            + " select revision "
            + revision
            + " (it selects "
            + selected
            + ")",
        s -> revision.equals(selected));
  }

  // Events.

  /** An Event of each reason was recorded on the rollout. */
  public RolloutAssert recorded(String... reasons) {
    return expect(
        "to have recorded " + String.join(", ", reasons),
        s -> events().containsAll(List.of(reasons)));
  }

  /** Events of these reasons were recorded in this order, others possibly between them. */
  public RolloutAssert recordedInOrder(String... reasons) {
    return expect(
        "to have recorded, in this order, " + String.join(", ", reasons),
        s -> {
          int next = 0;
          for (String reason : events()) {
            if (next < reasons.length && reasons[next].equals(reason)) {
              next++;
            }
          }
          return next == reasons.length;
        });
  }

  /** Exactly one Event of the reason was recorded. */
  public RolloutAssert recordedOnce(String reason) {
    return expect(
        "to have recorded " + reason + " once",
        s -> events().stream().filter(reason::equals).count() == 1);
  }

  /** No Event of any of these reasons was recorded. */
  public RolloutAssert neverRecorded(String... reasons) {
    return expect(
        "never to have recorded " + String.join(", ", reasons),
        s -> Arrays.stream(reasons).noneMatch(events()::contains));
  }

  // What the user sees.

  private RolloutAssert expect(String expectation, Predicate<RolloutStatus> met) {
    if (!met.test(status())) {
      failWithMessage(
          "%s",
          "Expecting rollout "
              + scenario.namespace()
              + "/"
              + scenario.name()
              + " "
              + expectation
              + ", but its user sees:\n"
              + seen());
    }
    return this;
  }

  /** The lines of a failure: what {@code kubectl weir get} and the cluster showed. */
  private String seen() {
    var s = status();
    String step =
        s.currentStepIndex == null
            ? "none"
            : s.currentStepIndex >= stepCount()
                ? "all " + stepCount() + " done"
                : (s.currentStepIndex + 1) + "/" + stepCount();
    return String.join(
        "\n",
        "  phase:      " + s.phase + (s.message == null ? "" : " (" + s.message + ")"),
        "  step:       " + step,
        "  revisions:  stable " + s.stableRS + ", declared " + s.currentPodHash,
        "  aborted:    " + (s.abortMessage == null ? "no" : s.abortMessage),
        "  aborted before: "
            + (s.abortedRevisions.isEmpty()
                ? "none"
                : s.abortedRevisions.stream()
                    .map(r -> r.podTemplateHash + " (" + r.reason + ")")
                    .collect(Collectors.joining(", "))),
        "  weight:     canary "
            + readable(() -> canaryWeight() + " %")
            + " in the mesh, "
            + (s.verifiedWeight == null ? "none" : s.verifiedWeight + " %")
            + " verified",
        "  replicas:   " + readable(() -> describe(replicas())),
        "  conditions: " + String.join(", ", trueConditions(s)),
        "  events:     " + readable(() -> String.join(", ", events())));
  }

  private static String describe(Map<String, Integer> replicas) {
    return replicas.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue())
        .sorted()
        .collect(Collectors.joining(", "));
  }

  private static String readable(Supplier<String> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      return "unreadable (" + e.getMessage() + ")";
    }
  }

  private RolloutStatus status() {
    return actual == null || actual.getStatus() == null ? new RolloutStatus() : actual.getStatus();
  }

  private int stepCount() {
    var canary = actual == null ? null : actual.getSpec().strategy.canary;
    return canary == null || canary.steps == null ? 0 : canary.steps.size();
  }

  private static boolean aborted(RolloutStatus s) {
    return s.phase == RolloutPhase.Degraded && Boolean.TRUE.equals(s.abort) && s.abortedAt != null;
  }

  private static List<String> trueConditions(RolloutStatus s) {
    return s.conditions.stream()
        .filter(c -> "True".equals(c.getStatus()))
        .map(c -> c.getType())
        .toList();
  }

  private int canaryWeight() {
    if (canaryWeight == null) {
      canaryWeight = scenario.canaryWeight(actual);
    }
    return canaryWeight;
  }

  private Map<String, Integer> replicas() {
    if (replicas == null) {
      replicas = scenario.replicasByRevision();
    }
    return replicas;
  }

  private List<String> events() {
    if (events == null) {
      events = scenario.eventReasons();
    }
    return events;
  }
}
