package dev.weir.cli.review;

import java.util.Locale;

/** How much a reviewer should worry about a change, least first. */
public enum Severity {
  /** Worth a look: a change whose direction the review cannot tell. */
  INFO,
  /** A safeguard weakened: a threshold loosened, a pause or a limit removed. */
  WARNING,
  /** A safeguard gone, or damage on apply: analysis removed, replicas to 0, a plain Secret. */
  HIGH;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code info}, {@code warning} or {@code high}, in any case; null for anything else. */
  public static Severity parse(String word) {
    for (Severity s : values()) {
      if (s.word().equalsIgnoreCase(word)) {
        return s;
      }
    }
    return null;
  }
}
