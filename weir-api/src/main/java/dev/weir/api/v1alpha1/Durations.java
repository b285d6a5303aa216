package dev.weir.api.v1alpha1;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.regex.Pattern;

/** Durations as users write them: seconds as a number, or Go-style strings like {@code 1m30s}. */
public final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  /** Longer than any sensible pause, short enough that no clock arithmetic overflows. */
  public static final Duration MAX = Duration.ofDays(365);

  private Durations() {}

  /**
   * Parses a duration field.
   *
   * @throws IllegalArgumentException naming what is wrong with the text
   */
  public static Duration parse(IntOrString value) {
    Duration parsed;
    try {
      parsed = parseUnbounded(value);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + value.getStrVal() + "' is too long", e);
    }
    if (parsed.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("must not exceed 365 days (8760h)");
    }
    return parsed;
  }

  private static Duration parseUnbounded(IntOrString value) {
    if (value.getIntVal() != null) {
      if (value.getIntVal() < 0) {
        throw new IllegalArgumentException("must not be negative, was " + value.getIntVal());
      }
      return Duration.ofSeconds(value.getIntVal());
    }
    String text = value.getStrVal() == null ? "" : value.getStrVal().trim();
    if (text.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(text));
    }
    var matcher = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (matcher.find() && matcher.start() == end) {
      long n = Long.parseLong(matcher.group(1));
      total =
          total.plus(
              switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
      end = matcher.end();
    }
    if (text.isEmpty() || end != text.length()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (use seconds, or a number with h, m, s or ms: 1m30s)");
    }
    return total;
  }
}
