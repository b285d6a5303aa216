package dev.weir.analysis;

import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRunSpec;
import dev.weir.api.v1alpha1.AnalysisRunStatus;
import dev.weir.api.v1alpha1.Durations;
import dev.weir.api.v1alpha1.Measurement;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.MetricResult;
import dev.weir.api.validation.MetricSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bookkeeping of a run, pure: which metrics are due, how a measurement changes a metric's
 * counts and verdict, and the run's verdict from its metrics.
 *
 * <p>A metric's verdict, checked after each measurement in this order: Failed when failed >
 * failureLimit; Error when consecutiveError > consecutiveErrorLimit; Inconclusive when inconclusive
 * > inconclusiveLimit; Successful when consecutiveSuccessLimit successes came in a row, or when
 * count measurements were answered (errors are not answers: a backend that never answers can never
 * pass). The run ends as soon as one metric that is not a dry run ends unsuccessfully (Failed
 * before Error before Inconclusive), or Successful when all have passed.
 */
public final class RunProgress {

  /** The message of a metric a terminated run stopped before its own verdict. */
  public static final String NOT_JUDGED = "not judged: the run was terminated (";

  private static final int DEFAULT_RETENTION = 10;
  private static final int DEFAULT_ERROR_LIMIT = 4;
  private static final Duration ERROR_RETRY = Duration.ofSeconds(10);

  private RunProgress() {}

  /** The status of a run that has not been measured yet. */
  public static AnalysisRunStatus start(AnalysisRunSpec spec, Instant now) {
    var status = new AnalysisRunStatus();
    status.phase = AnalysisPhase.Pending;
    status.startedAt = now.toString();
    for (Metric metric : spec.metrics) {
      var result = new MetricResult();
      result.name = metric.name;
      result.phase = AnalysisPhase.Pending;
      result.dryRun = Boolean.TRUE.equals(metric.dryRun) ? true : null;
      status.metricResults.add(result);
    }
    return status;
  }

  /** The metrics to measure now. */
  public static List<Metric> due(AnalysisRunSpec spec, AnalysisRunStatus status, Instant now) {
    var due = new ArrayList<Metric>();
    if (status.phase != null && status.phase.completed()) {
      return due;
    }
    for (Metric metric : spec.metrics) {
      dueAt(metric, result(status, metric.name), status)
          .filter(at -> !at.isAfter(now))
          .ifPresent(at -> due.add(metric));
    }
    return due;
  }

  /** When the next measurement of the run is due, if any is still to come. */
  public static Optional<Instant> nextDue(AnalysisRunSpec spec, AnalysisRunStatus status) {
    if (status.phase != null && status.phase.completed()) {
      return Optional.empty();
    }
    return spec.metrics.stream()
        .map(m -> dueAt(m, result(status, m.name), status))
        .flatMap(Optional::stream)
        .min(Instant::compareTo);
  }

  private static Optional<Instant> dueAt(
      Metric metric, MetricResult result, AnalysisRunStatus run) {
    if (result.phase != null && result.phase.completed()) {
      return Optional.empty();
    }
    if (result.measurements.isEmpty() && result.count == 0) {
      Instant started = Instant.parse(run.startedAt);
      return Optional.of(started.plus(duration(metric.initialDelay)));
    }
    Measurement last = result.measurements.get(result.measurements.size() - 1);
    Duration wait = duration(metric.interval);
    if (last.phase == AnalysisPhase.Error && metric.interval == null) {
      // Back-to-back measurements must not spend consecutiveErrorLimit on one short outage.
      wait = ERROR_RETRY;
    }
    return Optional.of(Instant.parse(last.finishedAt).plus(wait));
  }

  /** Records a measurement of a metric: counts, retention, the metric's verdict. */
  public static void record(
      AnalysisRunStatus status, Metric metric, Judgement judgement, Instant started, Instant now) {
    var result = result(status, metric.name);
    var m = new Measurement();
    m.phase = judgement.phase();
    m.value = judgement.value();
    m.message = judgement.message().isEmpty() ? null : judgement.message();
    m.comparison = judgement.evidence();
    m.startedAt = started.toString();
    m.finishedAt = now.toString();
    result.measurements.add(m);
    int keep =
        metric.measurementRetention == null ? DEFAULT_RETENTION : metric.measurementRetention;
    while (result.measurements.size() > Math.max(1, keep)) {
      result.measurements.remove(0);
    }
    result.count++;
    if (judgement.noData()) {
      result.noData++;
    }
    switch (judgement.phase()) {
      case Successful -> {
        result.successful++;
        result.consecutiveSuccess++;
        result.consecutiveError = 0;
      }
      case Failed -> {
        result.failed++;
        result.consecutiveSuccess = 0;
        result.consecutiveError = 0;
      }
      case Inconclusive -> {
        result.inconclusive++;
        result.consecutiveSuccess = 0;
        result.consecutiveError = 0;
      }
      default -> {
        result.error++;
        result.consecutiveError++;
      }
    }
    verdict(metric, result, judgement);
    if (status.phase == AnalysisPhase.Pending) {
      status.phase = AnalysisPhase.Running;
    }
  }

  private static void verdict(Metric metric, MetricResult result, Judgement last) {
    int failureLimit = metric.failureLimit == null ? 0 : metric.failureLimit;
    int inconclusiveLimit = metric.inconclusiveLimit == null ? 0 : metric.inconclusiveLimit;
    int errorLimit =
        metric.consecutiveErrorLimit == null ? DEFAULT_ERROR_LIMIT : metric.consecutiveErrorLimit;
    String lastSeen = describe(last);
    if (result.failed > failureLimit) {
      result.phase = AnalysisPhase.Failed;
      result.message =
          result.failed + " failed measurement(s), failureLimit " + failureLimit + "; " + lastSeen;
    } else if (result.consecutiveError > errorLimit) {
      result.phase = AnalysisPhase.Error;
      result.message =
          result.consecutiveError
              + " errors in a row, consecutiveErrorLimit "
              + errorLimit
              + "; "
              + lastSeen;
    } else if (result.inconclusive > inconclusiveLimit) {
      result.phase = AnalysisPhase.Inconclusive;
      result.message =
          result.inconclusive
              + " inconclusive measurement(s), inconclusiveLimit "
              + inconclusiveLimit
              + "; "
              + lastSeen;
    } else if (metric.consecutiveSuccessLimit != null
        && result.consecutiveSuccess >= metric.consecutiveSuccessLimit) {
      result.phase = AnalysisPhase.Successful;
      result.message = result.consecutiveSuccess + " successful measurements in a row; " + lastSeen;
    } else if (answered(result) >= wanted(metric)) {
      result.phase = AnalysisPhase.Successful;
      result.message = answered(result) + " measurement(s) answered; " + lastSeen;
    } else {
      result.phase = AnalysisPhase.Running;
      result.message = lastSeen;
    }
  }

  private static String describe(Judgement j) {
    String value = j.value() == null ? "" : j.value() + ": ";
    return "last " + j.phase() + " (" + value + j.message() + ")";
  }

  private static int answered(MetricResult r) {
    return r.successful + r.failed + r.inconclusive;
  }

  /** Measurements wanted: count, once without an interval, without end in the background. */
  private static long wanted(Metric metric) {
    if (metric.count != null) {
      return MetricSettings.count(metric.count);
    }
    return metric.interval == null ? 1 : Long.MAX_VALUE;
  }

  /**
   * The run's verdict from its metrics. A terminated run stops where it is: metrics without a
   * verdict end Successful, unless their measurements already decided otherwise.
   */
  public static void conclude(
      AnalysisRunStatus status, boolean terminate, String terminateReason, Instant now) {
    if (status.phase != null && status.phase.completed()) {
      return;
    }
    MetricResult decisive = null;
    for (var phase :
        List.of(AnalysisPhase.Failed, AnalysisPhase.Error, AnalysisPhase.Inconclusive)) {
      decisive =
          status.metricResults.stream()
              .filter(r -> r.phase == phase && !Boolean.TRUE.equals(r.dryRun))
              .findFirst()
              .orElse(null);
      if (decisive != null) {
        break;
      }
    }
    var deciding =
        status.metricResults.stream().filter(r -> !Boolean.TRUE.equals(r.dryRun)).toList();
    // A run of dry-run metrics only is done when they are, whatever they found.
    boolean allPassed =
        deciding.isEmpty()
            ? status.metricResults.stream().allMatch(r -> r.phase != null && r.phase.completed())
            : deciding.stream().allMatch(r -> r.phase == AnalysisPhase.Successful);
    if (decisive != null) {
      finish(status, decisive.phase, "metric " + decisive.name + ": " + decisive.message, now);
    } else if (terminate) {
      for (var r : status.metricResults) {
        if (r.phase == null || !r.phase.completed()) {
          // Nothing held the release back, but this metric reached no verdict of its own: its
          // counts (a failure under failureLimit, say) must not read as a pass.
          r.phase = AnalysisPhase.Successful;
          r.message = NOT_JUDGED + terminateReason + ")";
        }
      }
      finish(status, AnalysisPhase.Successful, "terminated: " + terminateReason, now);
    } else if (allPassed && !status.metricResults.isEmpty()) {
      finish(status, AnalysisPhase.Successful, "all metrics passed", now);
    } else {
      status.message =
          status.metricResults.stream()
              .filter(r -> r.message != null)
              .map(r -> r.name + ": " + r.message)
              .findFirst()
              .orElse(null);
    }
  }

  private static void finish(
      AnalysisRunStatus status, AnalysisPhase phase, String message, Instant now) {
    status.phase = phase;
    status.message = message;
    status.completedAt = now.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static MetricResult result(AnalysisRunStatus status, String name) {
    for (var r : status.metricResults) {
      if (r.name.equals(name)) {
        return r;
      }
    }
    var r = new MetricResult();
    r.name = name;
    r.phase = AnalysisPhase.Pending;
    status.metricResults.add(r);
    return r;
  }

  private static Duration duration(io.fabric8.kubernetes.api.model.IntOrString value) {
    return value == null ? Duration.ZERO : Durations.parse(value);
  }
}
