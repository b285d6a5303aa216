package dev.weir.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Queries Prometheus refuses whatever its version, and queries that only look odd: brackets, quotes
 * of the three kinds, comments, and {{args.NAME}} placeholders, which count as a word.
 */
class PromQlSyntaxTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          sum(rate(http_requests_total[2m]                  | '(' at 1:9 is never closed
          sum(rate(http_requests_total[2m])))                | ')' at 1:35 closes nothing
          sum(rate(http_requests_total[2m}))                 | '[' at 1:29 is closed by '}' at 1:32
          up{job="api}                                       | the string opened at 1:8 is never closed
          up{job='api}                                       | the string opened at 1:8 is never closed
          up{job=`api}                                       | the string opened at 1:8 is never closed
          rate(x[{{args.window}}]                            | '(' at 1:5 is never closed
          """)
  void aQueryNoPrometheusAcceptsIsNamedByItsPosition(String query, String problem) {
    assertThat(PromQlSyntax.problem(query)).contains(problem);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          sum(rate(http_requests_total{code!~"5.."}[2m])) / sum(rate(http_requests_total[2m]))
          up{job="a(b"}
          up{job='it\\'s'}
          up{job=`raw\\`}
          up # a comment with ( and "
          sum(rate(x{service="{{args.service}}"}[{{ args.window }}]))
          vector(1)
          """)
  void aQueryWhoseBracketsAndStringsPairPasses(String query) {
    assertThat(PromQlSyntax.problem(query)).isEmpty();
  }

  @Test
  void theLineOfAProblemIsCountedInAQueryOfSeveralLines() {
    assertThat(PromQlSyntax.problem("sum(rate(a[2m]))\n/\nsum(rate(b[2m])"))
        .contains("'(' at 3:4 is never closed");
  }
}
