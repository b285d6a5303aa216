package dev.weir.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.api.validation.MetricCondition.ConditionFailed;
import dev.weir.api.validation.MetricCondition.InvalidCondition;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conditions as users write them in templates: CEL over {@code result}, the list of sample values.
 * A mistake is caught when the template is read (InvalidCondition, with the column), an expression
 * that cannot be evaluated on one result is a ConditionFailed (the measurement is an Error).
 */
class MetricConditionTest {

  /** "0.5; 2" -> [0.5, 2.0]; +Inf, -Inf and NaN as Prometheus writes them. */
  static List<Double> result(String values) {
    return Arrays.stream(values.split(";"))
        .map(String::trim)
        .map(
            v ->
                switch (v) {
                  case "+Inf" -> Double.POSITIVE_INFINITY;
                  case "-Inf" -> Double.NEGATIVE_INFINITY;
                  default -> Double.parseDouble(v);
                })
        .toList();
  }

  @ParameterizedTest(name = "{0} over [{1}] -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          result[0] >= 0.99                       | 0.995       | true
          result[0] >= 0.99                       | 0.98        | false
          result[0] >= 0.99                       | 0.99        | true
          result[0] < 500                         | 499.9       | true
          result[0] < 500                         | 500         | false
          result[0] <= 1                          | 1           | true
          result[0] > 0                           | 0.0001      | true
          result[0] < 500                         | +Inf        | false
          result[0] < 500                         | -Inf        | true
          result[0] > 0.5                         | +Inf        | true
          result[0] == 0.0                        | 0           | true
          result[0] == 0.0                        | -0.0        | true
          size(result) == 2                       | 1; 2        | true
          size(result) == 2                       | 1           | false
          result.all(x, x < 0.5)                  | 0.1; 0.4    | true
          result.all(x, x < 0.5)                  | 0.1; 0.6    | false
          result.exists(x, x > 0.9)               | 0.1; 0.95   | true
          result[0] < 0.01 && result[1] < 0.01    | 0.001; 0.02 | false
          'result[0] < 0.01 || result[1] < 0.01'  | 0.001; 0.02 | true
          result[0] / result[1] > 2.0             | 5; 2        | true
          result[0] > 1u                          | 2           | true
          """)
  void aConditionIsABoolOverTheResult(String expression, String values, boolean holds) {
    assertThat(MetricCondition.compile(expression).holds(result(values))).isEqualTo(holds);
  }

  @ParameterizedTest(name = "{0} compiles")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          result[0] < 500
          result[0] >= 1
          500 > result[0]
          result[0] > 1 && result[0] < 2.5
          result.all(x, x <= 100)
          """)
  void intLiteralsCompareWithDoubleResults(String expression) {
    assertThat(MetricCondition.compile(expression).expression()).isEqualTo(expression);
  }

  @ParameterizedTest(name = "{0} over [{1}] -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          result[0] == 0.0         | 0   | true
          result[0] != 0.0         | 0.5 | true
          result[0] in [1.0, 2.0]  | 2   | true
          """)
  void equalityComparesDoublesWithDoubles(String expression, String values, boolean holds) {
    assertThat(MetricCondition.compile(expression).holds(result(values))).isEqualTo(holds);
  }

  @ParameterizedTest
  @ValueSource(strings = {"result[0] == 0", "result[0] != 0", "result[0] in [1, 2]"})
  void equalityWithAnIntLiteralIsRejectedWithAHintToWriteADouble(String expression) {
    assertThatThrownBy(() -> MetricCondition.compile(expression))
        .isInstanceOf(MetricCondition.InvalidCondition.class)
        .hasMessageContaining("write 0.0, not 0");
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          result[0] >=        | at 1:13: mismatched input '<EOF>'
          result[0] <         | at 1:12: mismatched input '<EOF>'
          reslt[0] < 1        | at 1:1: undeclared reference to 'reslt'
          result[0] >= 0.99)  | at 1:18:
          resutl.size() > 0   | at 1:1: undeclared reference to 'resutl'
          """)
  void aTypoIsAnInvalidConditionThatPointsAtTheColumn(String expression, String message) {
    assertThatThrownBy(() -> MetricCondition.compile(expression))
        .isInstanceOf(InvalidCondition.class)
        .hasMessageStartingWith(message)
        .hasMessageNotContaining("\n")
        .hasMessageNotContaining("ERROR: <input>");
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          result[0]           | expected type 'bool' but found 'double'
          result[0] + 1.0     | expected type 'bool' but found 'double'
          size(result)        | expected type 'bool' but found 'int'
          "passed"            | expected type 'bool' but found 'string'
          result              | expected type 'bool' but found 'list(double)'
          """)
  void aConditionThatIsNotABoolIsRejected(String expression, String message) {
    assertThatThrownBy(() -> MetricCondition.compile(expression))
        .isInstanceOf(InvalidCondition.class)
        .hasMessageStartingWith("at 1:")
        .hasMessageContaining(message);
  }

  @Test
  void anEmptyConditionIsRejected() {
    assertThatThrownBy(() -> MetricCondition.compile(""))
        .isInstanceOf(InvalidCondition.class)
        .hasMessageStartingWith("at 1:1:");
  }

  @ParameterizedTest(name = "{0} over [{1}] -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          result[1] > 0         | 0.5       | Index out of bounds: 1
          result[2] < 500       | 1; 2      | Index out of bounds: 2
          1 / 0 == 0            | 1         | / by zero
          """)
  void anExpressionThatCannotBeEvaluatedOnThisResultFailsWithItsText(
      String expression, String values, String cause) {
    var condition = MetricCondition.compile(expression);

    assertThatThrownBy(() -> condition.holds(result(values)))
        .isInstanceOf(ConditionFailed.class)
        .hasMessageStartingWith(expression + ": ")
        .hasMessageContaining(cause);
  }

  @Test
  void theSameConditionOnALongerResultEvaluates() {
    var condition = MetricCondition.compile("result[1] > 0");

    assertThat(condition.holds(result("0; 0.5"))).isTrue();
  }

  @Test
  void aConditionIsCompiledOncePerText() {
    String text = "result[0] >= 0.97 && size(result) == 1";

    assertThat(MetricCondition.compile(text)).isSameAs(MetricCondition.compile(text));
  }

  @Test
  void aTypoIsReportedEveryTimeItIsRead() {
    String typo = "result[0] >=> 1";

    assertThatThrownBy(() -> MetricCondition.compile(typo)).isInstanceOf(InvalidCondition.class);
    assertThatThrownBy(() -> MetricCondition.compile(typo)).isInstanceOf(InvalidCondition.class);
  }
}
