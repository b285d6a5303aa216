package dev.weir.observability;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The threshold of a metric condition, when the condition is a plain comparison of the first sample
 * with a number ({@code result[0] >= 0.99}, or {@code 0.99 <= result[0]}): what a dashboard draws
 * beside the measured value. Other conditions have no single threshold and show none.
 */
record Thresholds(String condition, String operator, double value) {

  private static final String NUMBER = "([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)";
  private static final String OPERATOR = "(>=|<=|==|!=|>|<)";
  private static final Pattern RESULT_FIRST =
      Pattern.compile("^\\s*result\\[0\\]\\s*" + OPERATOR + "\\s*" + NUMBER + "\\s*$");
  private static final Pattern NUMBER_FIRST =
      Pattern.compile("^\\s*" + NUMBER + "\\s*" + OPERATOR + "\\s*result\\[0\\]\\s*$");

  static Optional<Thresholds> of(String condition, String expression) {
    if (expression == null) {
      return Optional.empty();
    }
    var m = RESULT_FIRST.matcher(expression);
    if (m.matches()) {
      return Optional.of(new Thresholds(condition, m.group(1), Double.parseDouble(m.group(2))));
    }
    m = NUMBER_FIRST.matcher(expression);
    if (m.matches()) {
      return Optional.of(
          new Thresholds(condition, mirrored(m.group(2)), Double.parseDouble(m.group(1))));
    }
    return Optional.empty();
  }

  /** {@code 0.99 <= result[0]} reads as {@code result[0] >= 0.99}. */
  private static String mirrored(String operator) {
    switch (operator) {
      case ">=":
        return "<=";
      case "<=":
        return ">=";
      case ">":
        return "<";
      case "<":
        return ">";
      default:
        return operator;
    }
  }

  Labels labels(Labels metric) {
    return metric.add("condition", condition).add("operator", operator);
  }
}
