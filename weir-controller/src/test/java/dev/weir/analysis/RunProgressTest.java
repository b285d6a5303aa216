package dev.weir.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRunSpec;
import dev.weir.api.v1alpha1.AnalysisRunStatus;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.MetricResult;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bookkeeping of a run as tables: a metric's settings and the measurements it got, then the
 * counts, the metric's verdict and the run's verdict a user reads in the AnalysisRun's status.
 * Measurements are written as letters: S successful, F failed, I inconclusive (neither condition),
 * N no data (Inconclusive by default), E the backend did not answer.
 */
class RunProgressTest {

  private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
  private static final String BACKEND_DOWN = "Prometheus answered HTTP 503: service unavailable";

  // --- fixtures ---

  /** A metric with settings as a user writes them: "count=3 interval=30s failureLimit=1". */
  private static Metric metric(String name, String settings) {
    var metric = new Metric();
    metric.name = name;
    metric.successCondition = "result[0] >= 0.99";
    if (settings == null || settings.isBlank() || settings.equals("-")) {
      return metric;
    }
    for (String setting : settings.trim().split("\\s+")) {
      String[] kv = setting.split("=", 2);
      String value = kv[1];
      switch (kv[0]) {
        case "count" -> metric.count = new IntOrString(value);
        case "interval" -> metric.interval = new IntOrString(value);
        case "initialDelay" -> metric.initialDelay = new IntOrString(value);
        case "failureLimit" -> metric.failureLimit = Integer.valueOf(value);
        case "inconclusiveLimit" -> metric.inconclusiveLimit = Integer.valueOf(value);
        case "consecutiveErrorLimit" -> metric.consecutiveErrorLimit = Integer.valueOf(value);
        case "consecutiveSuccessLimit" -> metric.consecutiveSuccessLimit = Integer.valueOf(value);
        case "measurementRetention" -> metric.measurementRetention = Integer.valueOf(value);
        case "dryRun" -> metric.dryRun = Boolean.valueOf(value);
        default -> throw new IllegalArgumentException("unknown setting " + setting);
      }
    }
    return metric;
  }

  private static AnalysisRunSpec spec(Metric... metrics) {
    var spec = new AnalysisRunSpec();
    spec.metrics = List.of(metrics);
    return spec;
  }

  private static Judgement judgement(char letter) {
    return switch (letter) {
      case 'S' ->
          new Judgement(
              AnalysisPhase.Successful, "0.995", "successCondition result[0] >= 0.99", false);
      case 'F' ->
          new Judgement(
              AnalysisPhase.Failed,
              "0.5",
              "successCondition result[0] >= 0.99 does not hold",
              false);
      case 'I' ->
          new Judgement(AnalysisPhase.Inconclusive, "0.95", "neither condition holds", false);
      case 'N' ->
          new Judgement(
              AnalysisPhase.Inconclusive,
              null,
              "no data: the query returned no series (noDataPolicy Inconclusive)",
              true);
      case 'E' -> new Judgement(AnalysisPhase.Error, null, BACKEND_DOWN, false);
      default -> throw new IllegalArgumentException("unknown measurement " + letter);
    };
  }

  /**
   * Records measurements ("S S F", spaces optional) of a metric, one every 10 s from {@code from},
   * each taking a second.
   */
  private static Instant measure(
      AnalysisRunStatus status, Metric metric, String measurements, Instant from) {
    Instant at = from;
    for (char letter : measurements.replace(" ", "").toCharArray()) {
      RunProgress.record(status, metric, judgement(letter), at, at.plusSeconds(1));
      at = at.plusSeconds(10);
    }
    return at;
  }

  private static MetricResult result(AnalysisRunStatus status, String name) {
    return status.metricResults.stream().filter(r -> r.name.equals(name)).findFirst().orElseThrow();
  }

  // --- a metric's verdict ---

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # settings                                          | measurements      | metric phase | message
          count=3 interval=30s                                | S S               | Running      | last Successful (0.995: successCondition result[0] >= 0.99)
          count=3 interval=30s                                | S S S             | Successful   | 3 measurement(s) answered; last Successful (0.995: successCondition result[0] >= 0.99)
          count=2                                             | S S               | Successful   | 2 measurement(s) answered
          -                                                   | S                 | Successful   | 1 measurement(s) answered
          -                                                   | F                 | Failed       | 1 failed measurement(s), failureLimit 0; last Failed (0.5: successCondition result[0] >= 0.99 does not hold)
          count=3 interval=30s                                | S F               | Failed       | 1 failed measurement(s), failureLimit 0
          failureLimit=1 interval=30s                         | F                 | Running      | last Failed
          failureLimit=1 interval=30s                         | F S F             | Failed       | 2 failed measurement(s), failureLimit 1
          count=4 failureLimit=1 interval=30s                 | F S S S           | Successful   | 4 measurement(s) answered
          interval=30s                                        | I                 | Inconclusive | 1 inconclusive measurement(s), inconclusiveLimit 0; last Inconclusive (0.95: neither condition holds)
          interval=30s                                        | N                 | Inconclusive | 1 inconclusive measurement(s), inconclusiveLimit 0; last Inconclusive (no data: the query returned no series (noDataPolicy Inconclusive))
          inconclusiveLimit=1 interval=30s                    | I                 | Running      | last Inconclusive
          inconclusiveLimit=1 interval=30s                    | I S N             | Inconclusive | 2 inconclusive measurement(s), inconclusiveLimit 1
          count=3 inconclusiveLimit=1 interval=30s            | I S S             | Successful   | 3 measurement(s) answered
          interval=30s                                        | E E E E           | Running      | last Error (Prometheus answered HTTP 503: service unavailable)
          interval=30s                                        | E E E E E         | Error        | 5 errors in a row, consecutiveErrorLimit 4; last Error (Prometheus answered HTTP 503: service unavailable)
          interval=30s                                        | E E E E S E E E E | Running      | last Error
          interval=30s                                        | E E E E I         | Inconclusive | 1 inconclusive measurement(s)
          consecutiveErrorLimit=0 interval=30s                | E                 | Error        | 1 errors in a row, consecutiveErrorLimit 0
          consecutiveErrorLimit=2 count=1                     | E E E             | Error        | 3 errors in a row, consecutiveErrorLimit 2
          count=3 interval=30s                                | S E S E           | Running      | last Error
          count=3 interval=30s                                | S E S E S         | Successful   | 3 measurement(s) answered
          -                                                   | E                 | Running      | last Error
          -                                                   | E S               | Successful   | 1 measurement(s) answered
          consecutiveSuccessLimit=3 interval=30s              | S S               | Running      | last Successful
          consecutiveSuccessLimit=3 interval=30s              | S S S             | Successful   | 3 successful measurements in a row
          consecutiveSuccessLimit=2 failureLimit=1 interval=30s | S F S           | Running      | last Successful
          consecutiveSuccessLimit=2 failureLimit=1 interval=30s | S F S S         | Successful   | 2 successful measurements in a row
          consecutiveSuccessLimit=2 count=10 interval=30s     | S S               | Successful   | 2 successful measurements in a row
          interval=30s                                        | S S S S S S S S S S S S | Running | last Successful
          """)
  void theLimitsTurnMeasurementsIntoTheMetricsVerdict(
      String settings, String measurements, AnalysisPhase phase, String message) {
    var metric = metric("success-rate", settings);
    var status = RunProgress.start(spec(metric), T0);

    measure(status, metric, measurements, T0);

    var result = result(status, "success-rate");
    assertThat(result.phase).isEqualTo(phase);
    assertThat(result.message).startsWith(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          count=1                                     | 5
          count=3 interval=30s                        | 5
          interval=30s                                | 5
          count=2 failureLimit=3 inconclusiveLimit=3  | 5
          consecutiveSuccessLimit=1 interval=30s      | 5
          consecutiveErrorLimit=9 count=1             | 10
          """)
  void aRunOfBackendErrorsEndsInErrorNeverFailedOrSuccessful(String settings, int errors) {
    var metric = metric("success-rate", settings);
    var status = RunProgress.start(spec(metric), T0);
    var result = result(status, "success-rate");
    var seen = new ArrayList<AnalysisPhase>();
    Instant at = T0;

    for (int i = 0; i < errors; i++) {
      at = measure(status, metric, "E", at);
      seen.add(result.phase);
    }
    RunProgress.conclude(status, false, null, at);

    assertThat(seen.subList(0, errors - 1)).containsOnly(AnalysisPhase.Running);
    assertThat(result.phase).isEqualTo(AnalysisPhase.Error);
    assertThat(result.error).isEqualTo(errors);
    assertThat(result.failed).isZero();
    assertThat(result.successful).isZero();
    assertThat(status.phase).isEqualTo(AnalysisPhase.Error);
    assertThat(status.message)
        .startsWith("metric success-rate: " + errors + " errors in a row, consecutiveErrorLimit ")
        .endsWith("last Error (" + BACKEND_DOWN + ")");
  }

  @Test
  void everyMeasurementIsCountedByItsPhaseAndNoDataBesides() {
    var metric = metric("success-rate", "interval=30s failureLimit=5 inconclusiveLimit=5");
    var status = RunProgress.start(spec(metric), T0);

    measure(status, metric, "S F I E N E S", T0);

    var result = result(status, "success-rate");
    assertThat(result)
        .extracting(
            r -> r.count,
            r -> r.successful,
            r -> r.failed,
            r -> r.inconclusive,
            r -> r.error,
            r -> r.noData,
            r -> r.consecutiveError,
            r -> r.consecutiveSuccess)
        .containsExactly(7, 2, 1, 2, 2, 1, 0, 1);
  }

  @ParameterizedTest(name = "{0}: {1} -> {2} errors in a row, {3} successes in a row")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          S S E E     | 2 | 2
          E E S       | 0 | 1
          E E F       | 0 | 0
          E E I       | 0 | 0
          E E N       | 0 | 0
          S S F S     | 0 | 1
          S S I S S   | 0 | 2
          """)
  void anyAnswerEndsARunOfErrors(String measurements, int errorsInARow, int successesInARow) {
    var metric = metric("success-rate", "interval=30s failureLimit=5 inconclusiveLimit=5");
    var status = RunProgress.start(spec(metric), T0);

    measure(status, metric, measurements, T0);

    var result = result(status, "success-rate");
    assertThat(result.consecutiveError).isEqualTo(errorsInARow);
    assertThat(result.consecutiveSuccess).isEqualTo(successesInARow);
  }

  // --- measurements in the status ---

  @Test
  void aMeasurementShowsWhatWasJudgedAndWhen() {
    var metric = metric("success-rate", "interval=30s");
    var status = RunProgress.start(spec(metric), T0);

    RunProgress.record(
        status, metric, judgement('S'), T0.plusSeconds(5), T0.plusSeconds(5).plusMillis(250));
    RunProgress.record(
        status,
        metric,
        new Judgement(AnalysisPhase.Error, null, "", false),
        T0.plusSeconds(40),
        T0.plusSeconds(41));

    assertThat(result(status, "success-rate").measurements)
        .extracting(m -> m.phase, m -> m.value, m -> m.message, m -> m.startedAt, m -> m.finishedAt)
        .containsExactly(
            Tuple.tuple(
                AnalysisPhase.Successful,
                "0.995",
                "successCondition result[0] >= 0.99",
                "2024-05-01T12:00:05Z",
                "2024-05-01T12:00:05.250Z"),
            Tuple.tuple(
                AnalysisPhase.Error, null, null, "2024-05-01T12:00:40Z", "2024-05-01T12:00:41Z"));
  }

  @ParameterizedTest(name = "measurementRetention {0}: 12 measurements -> the latest {1} kept")
  @CsvSource(
      nullValues = "default",
      textBlock =
          """
          default, 10
          3,       3
          1,       1
          0,       1
          20,      12
          """)
  void theStatusKeepsTheLatestMeasurements(Integer retention, int kept) {
    var metric = metric("success-rate", "interval=30s failureLimit=20");
    metric.measurementRetention = retention;
    var status = RunProgress.start(spec(metric), T0);

    measure(status, metric, "SSSSSSSSSSSF", T0);

    var result = result(status, "success-rate");
    assertThat(result.count).isEqualTo(12);
    assertThat(result.measurements).hasSize(kept);
    assertThat(result.measurements.get(kept - 1).phase).isEqualTo(AnalysisPhase.Failed);
    assertThat(result.measurements.get(0).startedAt)
        .isEqualTo(T0.plusSeconds(10L * (12 - kept)).toString());
  }

  // --- when measurements are due ---

  @Test
  void aNewRunIsPendingWithEveryMetricPending() {
    var status =
        RunProgress.start(
            spec(metric("success-rate", "-"), metric("latency", "dryRun=true")),
            T0.plusMillis(123));

    assertThat(status.phase).isEqualTo(AnalysisPhase.Pending);
    assertThat(status.startedAt).isEqualTo("2024-05-01T12:00:00.123Z");
    assertThat(status.completedAt).isNull();
    assertThat(status.metricResults)
        .extracting(r -> r.name, r -> r.phase, r -> r.dryRun, r -> r.count)
        .containsExactly(
            Tuple.tuple("success-rate", AnalysisPhase.Pending, null, 0),
            Tuple.tuple("latency", AnalysisPhase.Pending, true, 0));
  }

  @Test
  void theRunIsRunningFromItsFirstMeasurement() {
    var metric = metric("success-rate", "interval=30s");
    var status = RunProgress.start(spec(metric), T0);

    measure(status, metric, "E", T0);

    assertThat(status.phase).isEqualTo(AnalysisPhase.Running);
  }

  @ParameterizedTest(name = "{0} after start -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          0s      | at-once
          29s     | at-once
          30s     | at-once, thirty-seconds
          59s     | at-once, thirty-seconds
          60s     | at-once, thirty-seconds, a-minute
          """)
  void aMetricIsFirstDueAfterItsInitialDelay(String elapsed, String due) {
    var spec =
        spec(
            metric("at-once", "interval=30s"),
            metric("thirty-seconds", "interval=30s initialDelay=30"),
            metric("a-minute", "interval=30s initialDelay=1m"));
    var status = RunProgress.start(spec, T0);
    Instant now = T0.plus(Duration.ofSeconds(Long.parseLong(elapsed.replace("s", ""))));

    assertThat(RunProgress.due(spec, status, now))
        .extracting(m -> m.name)
        .containsExactlyElementsOf(Arrays.asList(due.split(",\\s*")));
    assertThat(RunProgress.nextDue(spec, status)).contains(T0);
  }

  @Test
  void theNextMeasurementIsAnIntervalAfterTheLastOneFinished() {
    var metric = metric("success-rate", "count=3 interval=30s");
    var spec = spec(metric);
    var status = RunProgress.start(spec, T0);

    RunProgress.record(status, metric, judgement('S'), T0, T0.plusSeconds(2));

    assertThat(RunProgress.nextDue(spec, status)).contains(T0.plusSeconds(32));
    assertThat(RunProgress.due(spec, status, T0.plusSeconds(31))).isEmpty();
    assertThat(RunProgress.due(spec, status, T0.plusSeconds(32))).containsExactly(metric);
  }

  @Test
  void aBackendErrorIsRetriedAtTheNextInterval() {
    var metric = metric("success-rate", "count=1 interval=1m");
    var spec = spec(metric);
    var status = RunProgress.start(spec, T0);

    RunProgress.record(status, metric, judgement('E'), T0, T0.plusSeconds(1));

    assertThat(result(status, "success-rate").phase).isEqualTo(AnalysisPhase.Running);
    assertThat(RunProgress.nextDue(spec, status)).contains(T0.plusSeconds(61));
  }

  @Test
  void theNextDueIsTheEarliestOfTheMetricsStillMeasuring() {
    var fast = metric("fast", "interval=10s");
    var slow = metric("slow", "interval=5m");
    var once = metric("once", "-");
    var spec = spec(fast, slow, once);
    var status = RunProgress.start(spec, T0);

    RunProgress.record(status, slow, judgement('S'), T0, T0.plusSeconds(1));
    RunProgress.record(status, once, judgement('S'), T0, T0.plusSeconds(1));
    RunProgress.record(status, fast, judgement('S'), T0, T0.plusSeconds(3));

    assertThat(result(status, "once").phase).isEqualTo(AnalysisPhase.Successful);
    assertThat(RunProgress.nextDue(spec, status)).contains(T0.plusSeconds(13));
    assertThat(RunProgress.due(spec, status, T0.plusSeconds(301)))
        .extracting(m -> m.name)
        .containsExactly("fast", "slow");
  }

  @Test
  void aMetricWithAVerdictIsNoLongerMeasured() {
    var done = metric("done", "count=1");
    var failed = metric("failed", "interval=30s");
    var spec = spec(done, failed);
    var status = RunProgress.start(spec, T0);

    RunProgress.record(status, done, judgement('S'), T0, T0.plusSeconds(1));
    RunProgress.record(status, failed, judgement('F'), T0, T0.plusSeconds(1));

    assertThat(RunProgress.due(spec, status, T0.plus(Duration.ofHours(1)))).isEmpty();
    assertThat(RunProgress.nextDue(spec, status)).isEmpty();
  }

  @ParameterizedTest(name = "a {0} run")
  @CsvSource({"Successful", "Failed", "Error", "Inconclusive"})
  void aRunWithAVerdictMeasuresNothingMore(AnalysisPhase verdict) {
    var metric = metric("success-rate", "interval=30s");
    var spec = spec(metric);
    var status = RunProgress.start(spec, T0);
    status.phase = verdict;

    assertThat(RunProgress.due(spec, status, T0.plusSeconds(60))).isEmpty();
    assertThat(RunProgress.nextDue(spec, status)).isEmpty();
  }

  // --- the run's verdict ---

  /** Metric results written "name=Phase", a trailing ~ for a dry run: "trial=Failed~". */
  private static AnalysisRunStatus running(String metrics) {
    var status = new AnalysisRunStatus();
    status.phase = AnalysisPhase.Running;
    status.startedAt = T0.toString();
    for (String entry : metrics.trim().split("\\s+")) {
      String[] kv = entry.split("=");
      var result = new MetricResult();
      result.name = kv[0];
      result.dryRun = kv[1].endsWith("~") ? true : null;
      result.phase = AnalysisPhase.valueOf(kv[1].replace("~", ""));
      result.message = result.phase == AnalysisPhase.Pending ? null : "why " + kv[0];
      status.metricResults.add(result);
    }
    return status;
  }

  static Stream<Arguments> verdicts() {
    return Stream.of(
        arguments("a=Successful b=Successful", AnalysisPhase.Successful, "all metrics passed"),
        arguments("a=Successful b=Running", AnalysisPhase.Running, "a: why a"),
        arguments("a=Pending b=Running", AnalysisPhase.Running, "b: why b"),
        arguments("a=Running b=Failed", AnalysisPhase.Failed, "metric b: why b"),
        arguments("a=Inconclusive b=Error c=Failed", AnalysisPhase.Failed, "metric c: why c"),
        arguments("a=Inconclusive b=Error c=Running", AnalysisPhase.Error, "metric b: why b"),
        arguments("a=Running b=Inconclusive", AnalysisPhase.Inconclusive, "metric b: why b"),
        arguments("a=Failed~ b=Successful", AnalysisPhase.Successful, "all metrics passed"),
        arguments("a=Error~ b=Inconclusive", AnalysisPhase.Inconclusive, "metric b: why b"),
        arguments("a=Failed~ b=Error~ c=Running", AnalysisPhase.Running, "a: why a"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("verdicts")
  void theRunsVerdictIsItsWorstMetricFailedBeforeErrorBeforeInconclusive(
      String metrics, AnalysisPhase phase, String message) {
    var status = running(metrics);

    RunProgress.conclude(status, false, null, T0.plusSeconds(90));

    assertThat(status.phase).isEqualTo(phase);
    assertThat(status.message).isEqualTo(message);
    assertThat(status.completedAt).isEqualTo(phase.completed() ? "2024-05-01T12:01:30Z" : null);
  }

  @Test
  void theCompletionTimeIsInWholeSeconds() {
    var status = running("a=Successful");

    RunProgress.conclude(status, false, null, T0.plusMillis(1_999));

    assertThat(status.completedAt).isEqualTo("2024-05-01T12:00:01Z");
  }

  @Test
  void aDryRunMetricDecidesNothing() {
    var real = metric("success-rate", "count=1");
    var trial = metric("new-latency", "count=1 dryRun=true");
    var spec = spec(real, trial);
    var status = RunProgress.start(spec, T0);

    RunProgress.record(status, real, judgement('S'), T0, T0.plusSeconds(1));
    RunProgress.record(status, trial, judgement('F'), T0, T0.plusSeconds(1));
    RunProgress.conclude(status, false, null, T0.plusSeconds(1));

    assertThat(result(status, "new-latency").phase).isEqualTo(AnalysisPhase.Failed);
    assertThat(result(status, "new-latency").dryRun).isTrue();
    assertThat(status.phase).isEqualTo(AnalysisPhase.Successful);
    assertThat(status.message).isEqualTo("all metrics passed");
  }

  @Test
  void aRunOfDryRunMetricsOnlyStillMeasuresThem() {
    var trial = metric("new-latency", "count=1 initialDelay=1m dryRun=true");
    var spec = spec(trial);
    var status = RunProgress.start(spec, T0);

    RunProgress.conclude(status, false, null, T0);

    assertThat(status.phase).isEqualTo(AnalysisPhase.Pending);
    assertThat(RunProgress.nextDue(spec, status)).contains(T0.plusSeconds(60));

    RunProgress.record(status, trial, judgement('F'), T0.plusSeconds(60), T0.plusSeconds(61));
    RunProgress.conclude(status, false, null, T0.plusSeconds(61));

    assertThat(result(status, "new-latency").phase).isEqualTo(AnalysisPhase.Failed);
    assertThat(status.phase).isEqualTo(AnalysisPhase.Successful);
  }

  @Test
  void noDataPausesTheRunAsInconclusiveNeverAPass() {
    var metric = metric("success-rate", "count=3 interval=30s");
    var status = RunProgress.start(spec(metric), T0);

    measure(status, metric, "S N", T0);
    RunProgress.conclude(status, false, null, T0.plusSeconds(20));

    assertThat(status.phase).isEqualTo(AnalysisPhase.Inconclusive);
    assertThat(status.message)
        .isEqualTo(
            "metric success-rate: 1 inconclusive measurement(s), inconclusiveLimit 0; last"
                + " Inconclusive (no data: the query returned no series (noDataPolicy"
                + " Inconclusive))");
  }

  @Test
  void aTerminatedRunEndsSuccessfulWithWhatIsStillMeasuring() {
    var background = metric("success-rate", "interval=30s");
    var delayed = metric("latency", "interval=30s initialDelay=5m");
    var spec = spec(background, delayed);
    var status = RunProgress.start(spec, T0);
    measure(status, background, "S S S", T0);

    RunProgress.conclude(status, true, "rollout promoted", T0.plusSeconds(60));

    assertThat(status.phase).isEqualTo(AnalysisPhase.Successful);
    assertThat(status.message).isEqualTo("terminated: rollout promoted");
    assertThat(status.metricResults)
        .extracting(r -> r.phase)
        .containsOnly(AnalysisPhase.Successful);
    assertThat(status.metricResults)
        .extracting(r -> r.message)
        .containsOnly("not judged: the run was terminated (rollout promoted)");
    assertThat(RunProgress.due(spec, status, T0.plus(Duration.ofHours(1)))).isEmpty();
  }

  @ParameterizedTest(name = "{0}, terminated -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a=Failed b=Running          | Failed       | metric a: why a
          a=Running b=Error           | Error        | metric b: why b
          a=Inconclusive b=Running    | Inconclusive | metric a: why a
          a=Failed~ b=Running         | Successful   | terminated: superseded by v3
          """)
  void terminationKeepsAVerdictAlreadyReached(String metrics, AnalysisPhase phase, String message) {
    var status = running(metrics);

    RunProgress.conclude(status, true, "superseded by v3", T0.plusSeconds(60));

    assertThat(status.phase).isEqualTo(phase);
    assertThat(status.message).isEqualTo(message);
  }

  @Test
  void aTerminatedDryRunMetricKeepsItsOwnVerdict() {
    var status = running("a=Failed~ b=Running");

    RunProgress.conclude(status, true, "rollout aborted", T0.plusSeconds(60));

    assertThat(status.metricResults)
        .extracting(r -> r.name + "=" + r.phase)
        .containsExactly("a=Failed", "b=Successful");
  }

  @Test
  void aVerdictIsFinal() {
    var status = running("a=Failed b=Running");
    RunProgress.conclude(status, false, null, T0.plusSeconds(60));

    RunProgress.conclude(status, true, "retried", T0.plusSeconds(120));

    assertThat(status.phase).isEqualTo(AnalysisPhase.Failed);
    assertThat(status.message).isEqualTo("metric a: why a");
    assertThat(status.completedAt).isEqualTo("2024-05-01T12:01:00Z");
    assertThat(result(status, "b").phase).isEqualTo(AnalysisPhase.Running);
  }

  @Test
  void aMeasurementIsRecordedForAMetricTheStatusDidNotYetList() {
    // A status written before a metric existed (an older run) gains the metric's entry.
    var status = running("a=Running");
    var late = metric("b", "interval=30s");

    RunProgress.record(status, late, judgement('S'), T0, T0.plusSeconds(1));

    assertThat(status.metricResults).extracting(r -> r.name).containsExactly("a", "b");
    assertThat(result(status, "b").measurements)
        .extracting(m -> m.phase)
        .containsExactly(AnalysisPhase.Successful);
  }
}
