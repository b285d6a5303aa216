package dev.weir.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.MetricProviderSpec;
import dev.weir.api.v1alpha1.PrometheusMetric;
import dev.weir.api.v1alpha1.SpecProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The error ratio that is no data while nothing fails is told about; other queries are not. */
class NoDataRatiosTest {

  private static Metric prometheus(String query) {
    var metric = new Metric();
    metric.name = "errors";
    metric.provider = new MetricProviderSpec();
    metric.provider.prometheus = new PrometheusMetric();
    metric.provider.prometheus.query = query;
    return metric;
  }

  @Test
  void theArgoGuidesErrorRatioIsWarnedAboutWithTheQueryThatAnswersZero() {
    var ratio =
        prometheus(
            "sum(rate(istio_requests_total{app=\"shop\",response_code=~\"5.*\"}[1m]))"
                + " / sum(rate(istio_requests_total{app=\"shop\"}[1m]))");

    assertThat(NoDataRatios.warnings(List.of(prometheus("vector(1)"), ratio)))
        .singleElement()
        .extracting(
            SpecProblem::field,
            p ->
                p.message()
                    .endsWith(
                        "as in: (sum(rate(istio_requests_total{app=\"shop\",response_code=~\"5.*\"}[1m]))"
                            + " or vector(0)) / sum(rate(istio_requests_total{app=\"shop\"}[1m]))"))
        .containsExactly("spec.metrics[1].provider.prometheus.query", true);
  }

  @Test
  void aRatioAlreadyDefaultingToZeroOrOfUnrelatedSeriesIsLeftAlone() {
    assertThat(
            NoDataRatios.warnings(
                List.of(
                    prometheus(
                        "(sum(rate(r{job=\"a\",code=~\"5..\"}[1m])) or vector(0))"
                            + " / sum(rate(r{job=\"a\"}[1m]))"),
                    prometheus("sum(rate(errors_total[1m])) / sum(rate(requests_total[1m]))"),
                    new Metric())))
        .isEmpty();
    assertThat(NoDataRatios.likelyCause(prometheus("up"))).isEmpty();
  }
}
