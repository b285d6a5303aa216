package dev.weir.cli.convert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Argo Rollouts' conditions (expr) as Weir's (CEL), and the no-data policy their guards meant. */
class ExprConditionsTest {

  static Stream<Arguments> translations() {
    return Stream.of(
        Arguments.of(
            "the first value against a threshold", "result[0] >= 0.95", "result[0] >= 0.95"),
        Arguments.of(
            "a bare result read as its first value", "result >= 0.95", "result[0] >= 0.95"),
        Arguments.of(
            "and, or, not",
            "result[0] >= 0.9 and not (result[0] > 1)",
            "result[0] >= 0.9 && !(result[0] > 1)"),
        Arguments.of(
            "an integer stays as written where CEL orders across types",
            "result[0] < 500",
            "result[0] < 500"),
        Arguments.of(
            "an integer compared for equality becomes a double",
            "result[0] == 0",
            "result[0] == 0.0"),
        Arguments.of(
            "in a list of integers", "result[0] in [200, 204]", "result[0] in [200.0, 204.0]"),
        Arguments.of(
            "arithmetic with an integer", "result[0] * 100 >= 99", "result[0] * 100.0 >= 99"),
        Arguments.of(
            "len", "len(result) == 2 && result[1] > 0", "size(result) == 2 && result[1] > 0"),
        Arguments.of(
            "all with a predicate in braces", "all(result, {# < 500})", "result.all(x, x < 500)"),
        Arguments.of(
            "all with a bare predicate", "all(result, # < 1000)", "result.all(x, x < 1000)"),
        Arguments.of("any", "any(result, {# > 0.9})", "result.exists(x, x > 0.9)"),
        Arguments.of("none", "none(result, {# > 0.9})", "!result.exists(x, x > 0.9)"),
        Arguments.of("one", "one(result, {# > 0.9})", "result.exists_one(x, x > 0.9)"),
        Arguments.of(
            "count", "count(result, {# > 100}) < 3", "size(result.filter(x, x > 100)) < 3"),
        Arguments.of(
            "an arg, written as Weir writes it",
            "result[0] >= {{ args.threshold }}",
            "result[0] >= {{args.threshold}}"),
        Arguments.of(
            "a ternary",
            "result[0] > 1 ? result[0] < 10 : true",
            "result[0] > 1 ? result[0] < 10 : true"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("translations")
  void translates(String what, String expr, String cel) throws Exception {
    var condition = ExprConditions.translate(expr);

    assertThat(condition.cel()).isEqualTo(cel);
    assertThat(condition.noData()).isEqualTo(ExprConditions.NoData.UNSAID);
  }

  static Stream<Arguments> guards() {
    return Stream.of(
        Arguments.of(
            "len(result) == 0 || result[0] >= 0.95", null, "result[0] >= 0.95", null, "Pass"),
        Arguments.of(
            "len(result) > 0 && result[0] >= 0.95", null, "result[0] >= 0.95", null, "Fail"),
        Arguments.of(
            "isNaN(result[0]) || result[0] >= 0.95", null, "result[0] >= 0.95", null, "Pass"),
        Arguments.of("result >= 0.95 || isNaN(result)", null, "result[0] >= 0.95", null, "Pass"),
        Arguments.of(
            "isNaN(result) || result >= 0.99",
            "result < 0.9",
            "result[0] >= 0.99",
            "result[0] < 0.9",
            "Pass"),
        Arguments.of(null, "len(result) == 0 || result[0] > 0.1", null, "result[0] > 0.1", "Fail"),
        Arguments.of(null, "!isNaN(result[0]) && result[0] > 0.1", null, "result[0] > 0.1", "Pass"),
        Arguments.of(
            "len(result) > 0 && result[0] >= 0.95",
            "result[0] < 0.5",
            "result[0] >= 0.95",
            "result[0] < 0.5",
            "Inconclusive"),
        Arguments.of("len(result) > 0", null, "true", null, "Fail"),
        Arguments.of(null, "isNaN(result)", "true", null, "Fail"),
        Arguments.of(
            "result[0] >= 0.95", "result[0] < 0.5", "result[0] >= 0.95", "result[0] < 0.5", null));
  }

  @ParameterizedTest(name = "success {0}, failure {1}: noDataPolicy {4}")
  @MethodSource("guards")
  void guardsBecomeTheNoDataPolicy(
      String success, String failure, String successCel, String failureCel, String policy) {
    var t = ExprConditions.translate(success, failure);

    assertThat(t.problems()).isEmpty();
    assertThat(t.successCondition()).isEqualTo(successCel);
    assertThat(t.failureCondition()).isEqualTo(failureCel);
    assertThat(t.noDataPolicy()).isEqualTo(policy);
  }

  static Stream<Arguments> untranslatable() {
    return Stream.of(
        Arguments.of("default(result, 0) < 0.05", "default() has no CEL form in Weir's conditions"),
        Arguments.of("isInf(result[0])", "isInf() has no CEL form in Weir's conditions"),
        Arguments.of("result[0] ** 2 > 1", "'**' (a power) has no CEL form"),
        Arguments.of("result == 'true'", "'result[0] == 'true'' does not compile"),
        Arguments.of("result.ok == true", "a field of a value: result holds numbers"),
        Arguments.of(
            "result[0] > 1 && (len(result) == 0 || result[0] < 5)",
            "a test of len(result) inside a larger expression"),
        Arguments.of("isNaN(result[1]) || result[1] > 0", "isNaN() inside a larger expression"),
        Arguments.of("asInt(result) == 1", "asInt() has no CEL form"),
        Arguments.of("result[0] >= ", "unexpected '' at column 14"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("untranslatable")
  void saysWhyWhatItCannotTranslate(String expr, String reason) {
    var t = ExprConditions.translate(expr, null);

    assertThat(t.problems()).containsKey("successCondition");
    assertThat(t.problems().get("successCondition")).contains(reason);
    assertThat(t.successCondition()).as("kept as written").isEqualTo(expr);
  }
}
