package dev.weir.api.validation;

import java.util.Locale;

/**
 * How much worse than its baseline a canary may be: a percentage of the baseline's median ({@code
 * 10%}), which suits latencies that differ by orders of magnitude between services, or an absolute
 * amount in the metric's unit ({@code 5}), which suits rates near zero, whose median may be 0.
 *
 * @param amount the percentage (10 for 10%) or the absolute amount
 * @param relative whether {@code amount} is a percentage of the baseline's median
 */
public record ComparisonTolerance(double amount, boolean relative) {

  /** When a metric says nothing: a canary 10 % worse than its baseline is still fine. */
  public static final String DEFAULT = "10%";

  /**
   * Reads {@code 10%} or {@code 5}; null is the default.
   *
   * @throws IllegalArgumentException saying what a tolerance looks like
   */
  public static ComparisonTolerance parse(String text) {
    String s = (text == null ? DEFAULT : text).strip().toLowerCase(Locale.ROOT);
    boolean relative = s.endsWith("%");
    String number = relative ? s.substring(0, s.length() - 1).strip() : s;
    double amount;
    try {
      amount = Double.parseDouble(number);
    } catch (NumberFormatException e) {
      amount = Double.NaN;
    }
    if (!(amount >= 0) || Double.isInfinite(amount) || number.endsWith("d")) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a tolerance: a percentage of the baseline's median (10%) or an amount"
              + " of zero or more in the metric's unit (5)");
    }
    return new ComparisonTolerance(amount, relative);
  }

  /** The tolerance in the metric's unit, for a baseline with this median. */
  public double absolute(double baselineMedian) {
    return relative ? Math.abs(baselineMedian) * amount / 100 : amount;
  }

  @Override
  public String toString() {
    String shown =
        amount == Math.rint(amount) ? Long.toString((long) amount) : Double.toString(amount);
    return relative ? shown + "%" : shown;
  }
}
