package dev.weir.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.analysis.PrometheusSettings;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.testing.PrometheusFaults;
import dev.weir.testing.PrometheusFaults.Answer;
import dev.weir.testing.RealTier;
import dev.weir.testing.ReleaseRecorder.Outcome;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import dev.weir.testing.mesh.TrafficSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A release whose Prometheus fails under it: a proxy in front of the real server answers 500, or
 * slower than Weir's query timeout, or with a body cut short. Every such answer is an Error
 * measurement, never a pass: a short outage costs measurements and the release goes on once
 * Prometheus answers again (to promotion, or to an abort when the canary then fails its analysis);
 * one longer than consecutiveErrorLimit ends the run in Error, which aborts.
 */
class PrometheusFaultsRealTierTest extends FaultStories {

  /** Weir's query timeout here: a slow answer outlasts it. */
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

  private PrometheusFaults proxy;

  PrometheusFaultsRealTierTest() {
    super(new RealTier());
  }

  @BeforeEach
  void putTheProxyBeforePrometheus() {
    proxy = PrometheusFaults.before(prometheus.address());
    closeables.add(proxy);
  }

  @Override
  RunningWeir startWeir(Optional<String> prometheusAddress, int metricsPort) {
    return RunningWeir.start(
        cluster().operator(),
        PrometheusSettings.of(Optional.of(proxy.address()), QUERY_TIMEOUT),
        metricsPort);
  }

  @ParameterizedTest
  @EnumSource(names = {"ERROR_500", "SLOW", "GARBAGE"})
  void aShortOutageIsAnErrorMeasurementAndTheReleaseGoesOnWhenPrometheusAnswersAgain(Answer fault) {
    givenStableV1(BUSY);
    String v2 = whenV2IsReleasedAndRecorded(Map.of());
    checkout.awaitStatus("the analysis of step 3 under way", s -> s.stepAnalysisRun != null);

    proxy.answer(fault);
    awaitAnErrorMeasurement();
    proxy.answer(Answer.PASS);

    thenTheReleaseEnds(v2, Outcome.PROMOTED);
    assertThat(proxy.answered(fault)).isPositive();
    assertThat(runs())
        .allSatisfy(r -> assertThat(r.getStatus().phase).isEqualTo(AnalysisPhase.Successful));
  }

  @ParameterizedTest
  @EnumSource(names = {"ERROR_500", "SLOW", "GARBAGE"})
  void anOutageLongerThanTheErrorLimitEndsTheRunInErrorAndAbortsTheRelease(Answer fault) {
    givenStableV1(BUSY);
    String v2 = whenV2IsReleasedAndRecorded(Map.of());
    checkout.awaitStatus("the analysis of step 3 under way", s -> s.stepAnalysisRun != null);

    proxy.answer(fault);
    thenTheReleaseEnds(v2, Outcome.ABORTED);
    proxy.answer(Answer.PASS);

    assertThat(checkout.status().message).contains("Error");
    assertThat(runs())
        .anySatisfy(r -> assertThat(r.getStatus().phase).isEqualTo(AnalysisPhase.Error))
        .noneSatisfy(r -> assertThat(r.getStatus().phase).isEqualTo(AnalysisPhase.Failed));
  }

  @ParameterizedTest
  @EnumSource(names = {"ERROR_500", "GARBAGE"})
  void aFailingCanaryJudgedOnlyOncePrometheusAnswersAgainIsAbortedForItsErrors(Answer fault) {
    givenStableV1(BUSY);
    proxy.answer(fault);
    String v2 = whenV2IsReleasedAndRecorded(Map.of(TrafficSimulator.ERROR_RATE, "0.2"));
    awaitAnErrorMeasurement();
    proxy.answer(Answer.PASS);

    thenTheReleaseEnds(v2, Outcome.ABORTED);
    assertThat(checkout.status().message).contains("failed");
    assertThat(runs())
        .anySatisfy(r -> assertThat(r.getStatus().phase).isEqualTo(AnalysisPhase.Failed));
  }

  private void awaitAnErrorMeasurement() {
    await("a measurement of v2 in Error")
        .atMost(RolloutScenario.PATIENCE)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                runs().stream()
                    .filter(r -> r.getStatus() != null)
                    .flatMap(r -> r.getStatus().metricResults.stream())
                    .anyMatch(m -> m.error > 0));
  }

  private List<AnalysisRun> runs() {
    return client().resources(AnalysisRun.class).inNamespace(namespace).list().getItems();
  }
}
