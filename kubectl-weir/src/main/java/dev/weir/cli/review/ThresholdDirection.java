package dev.weir.cli.review;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a changed metric condition lets more measurements through, read from the conditions'
 * text: {@code result[0] >= 0.99} to {@code result[0] >= 0.9} is looser for a success condition.
 *
 * <p>Only a change of numbers that are compared ({@code >=}, {@code >}, {@code <=}, {@code <}) is
 * judged, and only when the rest of the expression is the same. Then the direction is sound: a
 * condition built from such comparisons with {@code &&}, {@code ||} and CEL's macros is monotone in
 * each threshold, unless something negates it ({@code !}, a ternary), which leaves it unknown.
 */
final class ThresholdDirection {

  /** What a change does to the measurements a condition lets through. */
  enum Direction {
    SAME,
    /** A success condition passes more, or a failure condition fails fewer. */
    LOOSER,
    TIGHTER,
    /** Changed otherwise, or some thresholds one way and some the other. */
    UNKNOWN
  }

  /** Which verdict the condition gives when it is true. */
  enum Verdict {
    SUCCESS,
    FAILURE
  }

  private static final Pattern NUMBER =
      Pattern.compile("(?<![\\w.])(\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?(?![\\w.])");

  private static final Pattern COMPARISON_BEFORE = Pattern.compile("(>=|<=|>|<)\\s*-?\\s*$");

  private static final Pattern COMPARISON_AFTER = Pattern.compile("^\\s*(>=|<=|>|<)(?!=)");

  private static final Pattern ARITHMETIC_BEFORE = Pattern.compile("[-+*/%]\\s*$");

  private static final Pattern ARITHMETIC_AFTER = Pattern.compile("^\\s*[-+*/%]");

  private ThresholdDirection() {}

  static Direction compare(String before, String after, Verdict verdict) {
    if (before.strip().equals(after.strip())) {
      return Direction.SAME;
    }
    if (negates(before) || negates(after)) {
      return Direction.UNKNOWN;
    }
    var thresholdsBefore = thresholds(before);
    var thresholdsAfter = thresholds(after);
    if (!skeleton(before).equals(skeleton(after))
        || thresholdsBefore.size() != thresholdsAfter.size()) {
      return Direction.UNKNOWN;
    }
    boolean looser = false;
    boolean tighter = false;
    for (int i = 0; i < thresholdsBefore.size(); i++) {
      Threshold b = thresholdsBefore.get(i);
      Threshold a = thresholdsAfter.get(i);
      int moved = a.value.compareTo(b.value);
      if (moved == 0) {
        continue;
      }
      if (b.trueWhenAbove == null || !b.trueWhenAbove.equals(a.trueWhenAbove)) {
        return Direction.UNKNOWN; // a number that is not a threshold changed
      }
      // Raising the threshold of "x > N" makes it true less often.
      boolean truerNow = b.trueWhenAbove ? moved < 0 : moved > 0;
      boolean passesMore = verdict == Verdict.SUCCESS ? truerNow : !truerNow;
      looser |= passesMore;
      tighter |= !passesMore;
    }
    if (looser && tighter) {
      return Direction.UNKNOWN;
    }
    return looser ? Direction.LOOSER : tighter ? Direction.TIGHTER : Direction.SAME;
  }

  /** A negation flips the direction of what it covers: {@code !}, but not {@code !=}. */
  private static boolean negates(String expression) {
    return expression.matches("(?s).*!(?!=).*") || expression.contains("?");
  }

  /** The expression without spaces and with every number a placeholder. */
  private static String skeleton(String expression) {
    return NUMBER.matcher(expression).replaceAll("#").replaceAll("\\s+", "");
  }

  /**
   * A number of the expression, and whether the comparison it is part of is true when the other
   * side is above it ({@code x > N}, {@code N < x}), below it, or null when it is not compared.
   */
  private record Threshold(BigDecimal value, Boolean trueWhenAbove) {}

  private static List<Threshold> thresholds(String expression) {
    var thresholds = new ArrayList<Threshold>();
    Matcher m = NUMBER.matcher(expression);
    while (m.find()) {
      String left = expression.substring(0, m.start());
      String right = expression.substring(m.end());
      Boolean trueWhenAbove = null;
      Matcher before = COMPARISON_BEFORE.matcher(left);
      Matcher after = COMPARISON_AFTER.matcher(right);
      // Arithmetic binds tighter than a comparison: in "x * 100 >= 99", 100 is no threshold.
      if (before.find() && !ARITHMETIC_AFTER.matcher(right).find()) {
        trueWhenAbove = before.group(1).startsWith(">"); // x >= N
      } else if (after.find() && !ARITHMETIC_BEFORE.matcher(left).find()) {
        trueWhenAbove = after.group(1).startsWith("<"); // N <= x
      }
      BigDecimal value = new BigDecimal(m.group());
      if (left.matches("(?s).*-\\s*$")) {
        value = value.negate();
      }
      thresholds.add(new Threshold(value, trueWhenAbove));
    }
    return thresholds;
  }
}
