package dev.weir.cli.view;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Ages and spans the way kubectl prints them: {@code 45s}, {@code 3m12s}, {@code 5h}, {@code 2d}.
 */
public final class Ages {

  private Ages() {}

  /** The age at {@code now} of an RFC 3339 timestamp; empty when there is none. */
  static String since(String timestamp, Instant now) {
    Instant then = parse(timestamp);
    return then == null ? "" : human(Duration.between(then, now));
  }

  static Instant parse(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** kubectl's {@code duration.HumanDuration}. */
  public static String human(Duration d) {
    long seconds = Math.max(0, d.getSeconds());
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    long days = hours / 24;
    if (days < 8) {
      long h = hours % 24;
      return h == 0 ? days + "d" : days + "d" + h + "h";
    }
    if (days < 365 * 2) {
      return days + "d";
    }
    long years = days / 365;
    long rest = days % 365;
    return years < 8 && rest != 0 ? years + "y" + rest + "d" : years + "y";
  }
}
