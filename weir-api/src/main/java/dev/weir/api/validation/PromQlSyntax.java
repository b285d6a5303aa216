package dev.weir.api.validation;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * What makes Prometheus refuse any query, found before a query is ever sent: brackets that do not
 * pair and strings that are never closed. Not a PromQL parser: a query that passes may still be
 * refused (an unknown function, a misplaced operator), and then its measurements say so in
 * Prometheus' own words; one that fails here would be refused by every Prometheus, at every
 * measurement. {@code {{args.NAME}}} placeholders count as a plain word.
 */
public final class PromQlSyntax {

  private PromQlSyntax() {}

  /** The reason the query cannot be PromQL, with the line and column, or empty when it may be. */
  public static Optional<String> problem(String query) {
    var open = new ArrayDeque<int[]>(); // {bracket, offset}
    Matcher placeholder = MetricSettings.PLACEHOLDER.matcher(query);
    int i = 0;
    while (i < query.length()) {
      char c = query.charAt(i);
      if (c == '{' && placeholder.region(i, query.length()).lookingAt()) {
        i = placeholder.end();
        continue;
      }
      switch (c) {
        case '#' -> {
          int end = query.indexOf('\n', i);
          i = end < 0 ? query.length() : end;
          continue;
        }
        case '"', '\'', '`' -> {
          int end = closingQuote(query, i);
          if (end < 0) {
            return Optional.of("the string opened at " + position(query, i) + " is never closed");
          }
          i = end + 1;
          continue;
        }
        case '(', '[', '{' -> open.push(new int[] {c, i});
        case ')', ']', '}' -> {
          if (open.isEmpty()) {
            return Optional.of("'" + c + "' at " + position(query, i) + " closes nothing");
          }
          int[] opened = open.pop();
          if (closing((char) opened[0]) != c) {
            return Optional.of(
                "'"
                    + (char) opened[0]
                    + "' at "
                    + position(query, opened[1])
                    + " is closed by '"
                    + c
                    + "' at "
                    + position(query, i));
          }
        }
        default -> {}
      }
      i++;
    }
    if (!open.isEmpty()) {
      int[] opened = open.pop();
      return Optional.of(
          "'" + (char) opened[0] + "' at " + position(query, opened[1]) + " is never closed");
    }
    return Optional.empty();
  }

  /** The offset of the quote that closes the string opened at {@code start}, or -1. */
  private static int closingQuote(String query, int start) {
    char quote = query.charAt(start);
    for (int i = start + 1; i < query.length(); i++) {
      char c = query.charAt(i);
      // Raw strings (`...`) know no escapes.
      if (c == '\\' && quote != '`') {
        i++;
      } else if (c == quote) {
        return i;
      }
    }
    return -1;
  }

  private static char closing(char open) {
    return switch (open) {
      case '(' -> ')';
      case '[' -> ']';
      default -> '}';
    };
  }

  /** {@code line:column}, both from 1, as Prometheus' own parse errors say it. */
  private static String position(String query, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (query.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return line + ":" + (offset - lineStart + 1);
  }
}
