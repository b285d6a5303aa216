package dev.weir.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ratios whose numerator has no series while nothing matches it, made to answer 0. */
class PromQlRatiosTest {

  static Stream<Arguments> rewritten() {
    return Stream.of(
        Arguments.of(
            "Argo's error rate",
            "sum(irate(istio_requests_total{destination_service=~\"{{args.svc}}\",response_code=~\"5.*\"}[5m])) /\n"
                + "sum(irate(istio_requests_total{destination_service=~\"{{args.svc}}\"}[5m]))",
            "(sum(irate(istio_requests_total{destination_service=~\"{{args.svc}}\",response_code=~\"5.*\"}[5m])) or vector(0)) /\n"
                + "sum(irate(istio_requests_total{destination_service=~\"{{args.svc}}\"}[5m]))",
            "response_code=~\"5.*\""),
        Arguments.of(
            "a success rate, matchers in another order and spacing",
            "sum(rate(x{code!~\"5..\", job=\"a\"}[1m]))/sum(rate(x{job=\"a\"}[1m]))",
            "(sum(rate(x{code!~\"5..\", job=\"a\"}[1m])) or vector(0))/sum(rate(x{job=\"a\"}[1m]))",
            "code!~\"5..\""),
        Arguments.of(
            "Flagger's percentage, a window given by an arg",
            "100 - sum(rate(x{a=\"1\",code!=\"404\"}[{{args.window}}])) / sum(rate(x{a=\"1\"}[{{args.window}}])) * 100",
            "100 - (sum(rate(x{a=\"1\",code!=\"404\"}[{{args.window}}])) or vector(0)) / sum(rate(x{a=\"1\"}[{{args.window}}])) * 100",
            "code!=\"404\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rewritten")
  void theNumeratorDefaultsToZero(String what, String query, String rewritten, String filter) {
    var rewrite = PromQlRatios.rewrite(query);

    assertThat(rewrite.query()).isEqualTo(rewritten);
    assertThat(rewrite.filters()).isEqualTo(List.of(filter));
  }

  static Stream<Arguments> leftAlone() {
    return Stream.of(
        Arguments.of(
            "already defaulting",
            "(sum(rate(x{a=\"1\",c=\"5\"}[1m])) or vector(0)) / sum(rate(x{a=\"1\"}[1m]))"),
        Arguments.of(
            "grouped",
            "sum(rate(x{a=\"1\",c=\"5\"}[1m])) by (le) / sum(rate(x{a=\"1\"}[1m])) by (le)"),
        Arguments.of(
            "two metrics", "sum(rate(errors{a=\"1\"}[1m])) / sum(rate(requests{a=\"1\"}[1m]))"),
        Arguments.of("the same matchers", "sum(rate(x{a=\"1\"}[1m])) / sum(rate(x{a=\"1\"}[5m]))"),
        Arguments.of(
            "another filter, not a narrower one",
            "sum(rate(x{a=\"1\"}[1m])) / sum(rate(x{b=\"2\"}[1m]))"),
        Arguments.of(
            "no ratio", "histogram_quantile(0.99, sum(rate(x_bucket{a=\"1\"}[1m])) by (le))"),
        Arguments.of("a quoted sum(", "sum(rate(x{a=\"sum(\"}[1m]))"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("leftAlone")
  void otherQueriesAreLeftAlone(String what, String query) {
    var rewrite = PromQlRatios.rewrite(query);

    assertThat(rewrite.query()).isEqualTo(query);
    assertThat(rewrite.filters()).isEmpty();
  }
}
