package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.BlueGreenStrategy;
import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.CanaryStrategy;
import dev.weir.api.v1alpha1.PauseCondition;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.rollout.plan.Action.CreateRevision;
import dev.weir.rollout.plan.Action.DeleteRevision;
import dev.weir.rollout.plan.Action.Pin;
import dev.weir.rollout.plan.Action.ScaleRevision;
import dev.weir.rollout.plan.Action.SetNamedRoutes;
import dev.weir.rollout.plan.Action.SetWeight;
import dev.weir.traffic.NamedRoute;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One planning pass: the inputs, the status being computed and the actions gathered so far, with
 * the small decisions every state handler shares (is this revision up, is the weight verified, may
 * that revision go). Pure: it reads the observation and never the cluster.
 */
final class PlanContext {

  final RolloutSpec spec;

  /** The canary strategy; an empty one for a blue-green rollout, which has no steps. */
  final CanaryStrategy canary;

  /** The blue-green strategy, or null for a canary. */
  final BlueGreenStrategy blueGreen;

  final RolloutStatus status;
  final Observation observed;
  final List<Action> actions = new ArrayList<>();
  final List<RolloutEvent> events = new ArrayList<>();
  private Duration requeueAfter;

  static final String WAITING_FOR_PODS = "WaitingForPods";

  /**
   * Whether the baseline follows the canary in this pass: true while the steps run ({@link
   * Baseline}).
   */
  boolean baselineFollows;

  RolloutPhase phase = RolloutPhase.Progressing;
  String reason = "";
  String message = "";

  PlanContext(RolloutSpec spec, RolloutStatus status, Observation observed) {
    this.spec = spec;
    this.blueGreen = spec.strategy.blueGreen;
    this.canary = spec.strategy.canary != null ? spec.strategy.canary : new CanaryStrategy();
    this.status = status;
    this.observed = observed;
  }

  Instant now() {
    return observed.now();
  }

  int replicas() {
    return spec.replicas == null ? 1 : spec.replicas;
  }

  List<CanaryStep> steps() {
    return canary.steps == null ? List.of() : canary.steps;
  }

  boolean routed() {
    var routing = blueGreen != null ? blueGreen.trafficRouting : canary.trafficRouting;
    return routing != null && (routing.istio != null || routing.gatewayAPI != null);
  }

  int stepIndex() {
    return status.currentStepIndex == null ? 0 : status.currentStepIndex;
  }

  Optional<Revision> revision(String hash) {
    return Optional.ofNullable(observed.revisions().get(hash));
  }

  void outcome(RolloutPhase phase, String reason, String message) {
    this.phase = phase;
    this.reason = reason;
    this.message = message;
  }

  void event(RolloutEvent event) {
    events.add(event);
  }

  void requeueIn(Duration delay) {
    Duration bounded = delay.isNegative() ? Duration.ZERO : delay;
    if (requeueAfter == null || bounded.compareTo(requeueAfter) < 0) {
      requeueAfter = bounded;
    }
  }

  Optional<Duration> requeueAfter() {
    return Optional.ofNullable(requeueAfter);
  }

  /**
   * Asks for a revision at {@code desired} pods, creating its ReplicaSet if there is none and
   * cancelling any scale-down Weir had scheduled for it.
   *
   * @return whether all desired pods are already available
   */
  boolean scaleTo(String hash, int desired) {
    var revision = revision(hash);
    if (revision.isEmpty()) {
      actions.add(new CreateRevision(hash, desired, nextRevisionNumber()));
      return desired == 0;
    }
    var r = revision.get();
    if (r.replicas() != desired || r.scaleDownAt() != null) {
      actions.add(new ScaleRevision(hash, desired, null));
      return false;
    }
    return r.isAvailable(desired);
  }

  private long nextRevisionNumber() {
    return observed.revisions().values().stream().mapToLong(Revision::number).max().orElse(0) + 1;
  }

  /**
   * Asks for the canary weight and reports whether the routers read it back. Without traffic
   * routing there is nothing to write: the replica counts carry the weight.
   */
  boolean routeTo(int canaryWeight) {
    if (!routed()) {
      return true;
    }
    int baselineWeight = Baseline.weight(this, canaryWeight);
    if (Objects.equals(observed.traffic().canaryWeight(), canaryWeight)
        && Objects.equals(observed.traffic().baselineWeight(), baselineWeight)) {
      return true;
    }
    actions.add(new SetWeight(canaryWeight, baselineWeight));
    return false;
  }

  /**
   * Asks for the routes Weir names to be exactly these and reports whether the routers read them
   * back so. Without traffic routing there are none.
   */
  boolean routeNamed(List<NamedRoute> wanted) {
    if (!routed() || wanted.equals(observed.traffic().namedRoutes())) {
      return true;
    }
    actions.add(new SetNamedRoutes(wanted));
    return false;
  }

  /** The named routes the routes read back, for a message. */
  String namedReadBack() {
    var seen = observed.traffic().namedRoutes();
    if (seen == null) {
      return "the routes read back differ from one route object to the next";
    }
    return seen.isEmpty()
        ? "the routes read back none"
        : "the routes read back " + seen.stream().map(NamedRoute::name).toList();
  }

  /**
   * Asks for the canary weight Weir holds; a change of a weight that had read back is someone
   * else's (a GitOps sync), put back with a warning.
   *
   * @return whether the routes read it back
   */
  boolean holdWeight(int canaryWeight) {
    if (routeTo(canaryWeight)) {
      return true;
    }
    Integer seen = observed.traffic().canaryWeight();
    if (seen != null && Objects.equals(status.verifiedWeight, canaryWeight)) {
      event(
          RolloutEvent.of(
              EventReason.WeightRestored,
              "canary weight was changed to "
                  + seen
                  + "% outside Weir; restoring "
                  + canaryWeight
                  + "%"));
    }
    return false;
  }

  /** Asks for a side to select a revision; true when all its targets already do. */
  boolean pin(Side side, String hash) {
    if (pinnedTo(side, hash)) {
      return true;
    }
    actions.add(new Pin(side, hash));
    return false;
  }

  /** Whether a side's targets select the revision now (some of them, at least). */
  boolean selects(Side side, String hash) {
    return observed.traffic().pinned(side).contains(hash);
  }

  private boolean selected(String hash) {
    return observed.traffic().pinned(Side.STABLE).contains(hash)
        || observed.traffic().pinned(Side.CANARY).contains(hash);
  }

  /**
   * Scales every revision but those kept to zero, each once no Service or subset selects it and its
   * delay has passed. The delay is chosen when the revision is first let go and kept on its
   * ReplicaSet, so a restart does not shorten or lengthen it.
   *
   * @return whether every other revision is already at zero
   */
  boolean retireAllBut(Set<String> keep, int delaySeconds) {
    boolean retired = true;
    for (var r : observed.revisions().values()) {
      if (keep.contains(r.hash()) || r.replicas() == 0) {
        continue;
      }
      retired = false;
      if (selected(r.hash())) {
        continue;
      }
      if (r.scaleDownAt() == null) {
        if (delaySeconds == 0 || !routed()) {
          actions.add(new ScaleRevision(r.hash(), 0, null));
        } else {
          Instant at = now().plusSeconds(delaySeconds);
          actions.add(new ScaleRevision(r.hash(), r.replicas(), at));
          requeueIn(Duration.between(now(), at));
        }
      } else if (!now().isBefore(r.scaleDownAt())) {
        actions.add(new ScaleRevision(r.hash(), 0, null));
      } else {
        requeueIn(Duration.between(now(), r.scaleDownAt()));
      }
    }
    return retired;
  }

  /** Schedules the scale-down of a revision, unless one is scheduled already. */
  void scheduleScaleDown(String hash, int delaySeconds) {
    revision(hash)
        .filter(r -> r.replicas() > 0 && r.scaleDownAt() == null)
        .ifPresent(
            r -> {
              Instant at = now().plusSeconds(delaySeconds);
              actions.add(new ScaleRevision(hash, r.replicas(), at));
              requeueIn(Duration.between(now(), at));
            });
  }

  /**
   * Scales down at once the oldest revisions that still wait out their scale-down delay, beyond
   * {@code limit} of them (no limit when null).
   */
  void limitDelayedScaleDowns(Integer limit, Set<String> keep) {
    if (limit == null) {
      return;
    }
    observed.revisions().values().stream()
        .filter(r -> !keep.contains(r.hash()) && r.replicas() > 0 && r.scaleDownAt() != null)
        .sorted(Comparator.comparingLong(Revision::number).reversed())
        .skip(limit)
        .forEach(r -> actions.add(new ScaleRevision(r.hash(), 0, null)));
  }

  /** Deletes old revisions at zero beyond revisionHistoryLimit, oldest first. */
  void pruneHistory(Set<String> keep) {
    int limit = spec.revisionHistoryLimit == null ? 10 : spec.revisionHistoryLimit;
    observed.revisions().values().stream()
        .filter(r -> !keep.contains(r.hash()) && r.replicas() == 0 && r.currentReplicas() == 0)
        .sorted(Comparator.comparingLong(Revision::number).reversed())
        .skip(limit)
        .forEach(r -> actions.add(new DeleteRevision(r.hash())));
  }

  int scaleDownDelaySeconds() {
    Integer delay =
        blueGreen != null ? blueGreen.scaleDownDelaySeconds : canary.scaleDownDelaySeconds;
    return delay == null ? 30 : delay;
  }

  int abortScaleDownDelaySeconds() {
    Integer delay =
        blueGreen != null
            ? blueGreen.abortScaleDownDelaySeconds
            : canary.abortScaleDownDelaySeconds;
    return delay == null ? 30 : delay;
  }

  /**
   * Waits for something the release needs: pods, a weight or a selector that reads back, a
   * measurement. Past progressDeadlineSeconds ({@link ProgressDeadline}) the wait is reported as
   * stalled, saying what it waited for; while paused the clock stands still. A rollout that was
   * healthy, or whose spec was invalid, had nothing to wait for until now: its clock starts here.
   *
   * @param reason the reason conditions give while the wait is within the deadline
   * @param since a later start than the last progress that this wait has, or null
   * @return whether the deadline has passed
   */
  boolean waitFor(String reason, String what, Instant since) {
    if (status.phase == RolloutPhase.Healthy
        || StatusConditions.isTrue(status, StatusConditions.INVALID_SPEC)) {
      progressed();
    }
    Instant from =
        Stream.of(since, measuredAt())
            .filter(Objects::nonNull)
            .max(Instant::compareTo)
            .orElse(null);
    Optional<Instant> limit = ProgressDeadline.limit(spec, status, from, now());
    if (limit.isPresent() && !now().isBefore(limit.get())) {
      outcome(
          RolloutPhase.Degraded,
          AbortCause.ProgressDeadlineExceeded.name(),
          what
              + ": no progress for "
              + ProgressDeadline.seconds(spec)
              + "s (progressDeadlineSeconds)");
      return true;
    }
    limit.ifPresent(at -> requeueIn(Duration.between(now(), at)));
    outcome(RolloutPhase.Progressing, reason, what);
    return false;
  }

  boolean waitFor(String reason, String what) {
    return waitFor(reason, what, null);
  }

  /** Waits for pods to become available, aborting at the deadline when asked. */
  void waitForPodsOrAbort(String what) {
    waitForOrAbort(WAITING_FOR_PODS, what);
  }

  /**
   * Waits like {@link #waitFor}, and past the deadline aborts the release when
   * progressDeadlineAbort asks for it.
   */
  void waitForOrAbort(String reason, String what, Instant since) {
    if (waitFor(reason, what, since) && Boolean.TRUE.equals(spec.progressDeadlineAbort)) {
      abort(AbortCause.ProgressDeadlineExceeded, message);
    }
  }

  void waitForOrAbort(String reason, String what) {
    waitForOrAbort(reason, what, null);
  }

  /**
   * When the analysis the release waits on last measured: a run measuring on schedule is progress,
   * and no other wait of its step runs out while it does.
   */
  private Instant measuredAt() {
    var ref = status.stepAnalysisRun;
    var run = ref == null ? null : observed.analysis().runs().get(ref.name);
    return run == null ? null : run.measuredAt();
  }

  /** The canary weight the routes read back, for a message. */
  String readBack() {
    Integer seen = observed.traffic().canaryWeight();
    Integer baseline = observed.traffic().baselineWeight();
    if (seen == null) {
      return "the routes read back no single canary weight";
    }
    return "the routes read back "
        + seen
        + "%"
        + (Baseline.asked(this) && baseline != null && baseline > 0
            ? " (baseline " + baseline + "%)"
            : "");
  }

  /** What a side selects now, for a message. */
  String selection(Side side) {
    var hashes =
        observed.traffic().pinned(side).stream()
            .map(h -> h.isEmpty() ? "no revision" : h)
            .sorted()
            .toList();
    return "it selects " + (hashes.isEmpty() ? "nothing" : String.join(", ", hashes));
  }

  /**
   * Points a side back at its revision after someone else moved it (a GitOps sync), saying so in a
   * warning.
   *
   * @return true when the side already selects the revision
   */
  boolean restorePin(Side side, String hash) {
    if (pinnedTo(side, hash)) {
      return true;
    }
    event(
        RolloutEvent.of(
            EventReason.SelectorRestored,
            "the "
                + sideName(side)
                + " side was changed outside Weir ("
                + selection(side)
                + "); pointing it back at "
                + hash));
    actions.add(new Pin(side, hash));
    return false;
  }

  /**
   * A side as the user knows it: stable and canary, or a blue-green release's active and preview.
   */
  String sideName(Side side) {
    if (blueGreen != null) {
      return side == Side.STABLE ? "active" : "preview";
    }
    return side == Side.STABLE ? "stable" : "canary";
  }

  private boolean pinnedTo(Side side, String hash) {
    Set<String> pinned = observed.traffic().pinned(side);
    return pinned.isEmpty() || pinned.equals(Set.of(hash));
  }

  /**
   * Aborts the release in progress; the cause is the reason the status and metrics give. The
   * revision is remembered as aborted ({@link AbortedRevisions}).
   */
  void abort(AbortCause cause, String why) {
    abort(cause, why, null);
  }

  /** Aborts the release in progress on the verdict of {@code run}, which is remembered with it. */
  void abort(AbortCause cause, String why, AnalysisRunView run) {
    status.abort = true;
    status.abortedAt = now().toString();
    status.abortMessage = "rollout aborted: " + why;
    outcome(RolloutPhase.Degraded, cause.name(), status.abortMessage);
    event(RolloutEvent.aborted(cause, status.abortMessage));
    AbortedRevisions.record(this, cause, run);
  }

  /** Records progress now: a step ended or a pause was lifted, so the deadline starts afresh. */
  void progressed() {
    status.progressedAt = now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** The pause condition with this reason, added now if the rollout was not yet paused for it. */
  PauseCondition pauseFor(String reason) {
    for (PauseCondition p : status.pauseConditions) {
      if (reason.equals(p.reason)) {
        return p;
      }
    }
    var pause = new PauseCondition(reason, now().truncatedTo(ChronoUnit.SECONDS).toString());
    status.pauseConditions.add(pause);
    return pause;
  }

  /**
   * Pauses for a human's promote: the first pass that pauses says so with an {@link
   * EventReason#AwaitingPromotion} event, telling the command that goes on.
   */
  void awaitPromotion(String pauseReason, String message) {
    boolean fresh = status.pauseConditions.stream().noneMatch(p -> pauseReason.equals(p.reason));
    pauseFor(pauseReason);
    outcome(RolloutPhase.Paused, pauseReason, message);
    if (fresh) {
      event(RolloutEvent.of(EventReason.AwaitingPromotion, message));
    }
  }

  /** Lifts a pause; true when there was one. */
  boolean unpause(String reason) {
    boolean lifted = status.pauseConditions.removeIf(p -> reason.equals(p.reason));
    if (lifted) {
      progressed();
    }
    return lifted;
  }

  /** Available pods of a revision, zero if it has no ReplicaSet yet. */
  int available(String hash) {
    return revision(hash).map(Revision::availableReplicas).orElse(0);
  }

  int desired(String hash) {
    return revision(hash).map(Revision::replicas).orElse(0);
  }
}
