package dev.weir.bench;

import java.time.Duration;

/** What {@link ScaleBench} measured for one size of the fleet. */
final class ScaleFigures {

  final int rollouts;
  int objectsCreated;
  Duration creation;
  Duration settling;
  Duration ready;
  Duration quiet;
  AuditedRequests.Counts restCounts;
  Duration restWindow;
  double restHeapMiB;
  double restRssMiB;
  int releasing;
  Duration releaseTime;
  AuditedRequests.Counts releaseCounts;
  int transitions;
  FleetWatch.Lateness lateness;
  double releaseHeapMiB;
  double releaseRssMiB;

  ScaleFigures(int rollouts) {
    this.rollouts = rollouts;
  }

  AuditedRequests.Counts restCounts() {
    return restCounts;
  }

  void created(int objects, Duration time) {
    objectsCreated = objects;
    creation = time;
  }

  void settled(Duration time) {
    settling = time;
  }

  void ready(Duration time) {
    ready = time;
  }

  void quiet(Duration time) {
    quiet = time;
  }

  void rest(AuditedRequests.Counts counts, Duration window) {
    restCounts = counts;
    restWindow = window;
  }

  void restMemory(double heapMiB, double rssMiB) {
    restHeapMiB = heapMiB;
    restRssMiB = rssMiB;
  }

  void release(
      int count,
      Duration time,
      AuditedRequests.Counts counts,
      int stepTransitions,
      FleetWatch.Lateness late,
      double heapMiB,
      double rssMiB) {
    releasing = count;
    releaseTime = time;
    releaseCounts = counts;
    transitions = stepTransitions;
    lateness = late;
    releaseHeapMiB = heapMiB;
    releaseRssMiB = rssMiB;
  }

  /** Requests of a verb per second over the rest window. */
  double restPerSecond(String verb) {
    return restCounts.byVerb().getOrDefault(verb, 0L) * 1000.0 / restWindow.toMillis();
  }

  /** Requests of a verb per step transition in the release. */
  double perTransition(String verb) {
    return releaseCounts.byVerb().getOrDefault(verb, 0L) / (double) transitions;
  }

  double releasePerSecond(String verb) {
    return releaseCounts.byVerb().getOrDefault(verb, 0L) * 1000.0 / releaseTime.toMillis();
  }
}
