package dev.weir.api.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ratio queries the peers' docs teach, {@code sum(rate(x{..., response_code=~"5.*"}[5m])) /
 * sum(rate(x{...}[5m]))}, made to answer 0 rather than nothing when nothing matches the numerator.
 * Prometheus has no series for a selector that matched no request: while no request failed the
 * error ratio is an empty result, which Weir judges as no data (never a silent pass). Argo Rollouts
 * would have evaluated its condition on the empty result, and Flagger counted it as a failed check,
 * so the ratio becomes {@code (sum(...) or vector(0)) / sum(...)}: with traffic it is 0, without
 * traffic the denominator is still empty and the measurement still no data.
 *
 * <p>Rewritten only where the numerator is the denominator narrowed by more label matchers (same
 * functions, same metric, same window) and neither is grouped ({@code by}, {@code without}): there
 * a missing numerator can only mean zero.
 */
public final class PromQlRatios {

  private PromQlRatios() {}

  /**
   * The query with each such ratio's numerator defaulting to 0, and for each the label matchers
   * that narrow it ({@code response_code=~"5.*"}).
   */
  public record Rewrite(String query, List<String> filters) {}

  public static Rewrite rewrite(String query) {
    var out = new StringBuilder();
    var filters = new ArrayList<String>();
    int copied = 0;
    int i = 0;
    while (i < query.length()) {
      int start = sumAt(query, i);
      if (start < 0) {
        i = skip(query, i);
        continue;
      }
      int numeratorEnd = sumEnd(query, start);
      if (numeratorEnd < 0) {
        i = start + 3;
        continue;
      }
      int slash = skipSpace(query, numeratorEnd);
      if (slash >= query.length() || query.charAt(slash) != '/') {
        i = numeratorEnd;
        continue;
      }
      int denominatorStart = skipSpace(query, slash + 1);
      int denominatorEnd =
          sumAt(query, denominatorStart) == denominatorStart ? sumEnd(query, denominatorStart) : -1;
      String numerator = query.substring(start, numeratorEnd);
      String filter =
          denominatorEnd < 0 || precededByOr(query, start)
              ? null
              : narrowing(numerator, query.substring(denominatorStart, denominatorEnd));
      if (filter == null) {
        i = numeratorEnd;
        continue;
      }
      out.append(query, copied, start).append('(').append(numerator).append(" or vector(0))");
      copied = numeratorEnd;
      filters.add(filter);
      i = denominatorEnd;
    }
    out.append(query.substring(copied));
    return new Rewrite(out.toString(), filters);
  }

  /** The index of a {@code sum(} that begins at {@code from} (spaces allowed before the paren). */
  private static int sumAt(String q, int from) {
    if (!q.startsWith("sum", from)
        || (from > 0
            && (Character.isLetterOrDigit(q.charAt(from - 1)) || q.charAt(from - 1) == '_'))) {
      return -1;
    }
    int paren = skipSpace(q, from + 3);
    return paren < q.length() && q.charAt(paren) == '(' ? from : -1;
  }

  /** The end of {@code sum(...)} beginning at {@code start}, or -1 when it is grouped. */
  private static int sumEnd(String q, int start) {
    int open = skipSpace(q, start + 3);
    int close = matching(q, open);
    if (close < 0) {
      return -1;
    }
    int after = skipSpace(q, close + 1);
    if (q.startsWith("by", after) || q.startsWith("without", after)) {
      return -1;
    }
    return close + 1;
  }

  private static boolean precededByOr(String q, int start) {
    String before = q.substring(0, start).stripTrailing();
    return before.endsWith(" or") || before.endsWith("(or");
  }

  /** The index of the parenthesis closing the one at {@code open}, or -1. */
  private static int matching(String q, int open) {
    int depth = 0;
    for (int i = open; i < q.length(); i = skip(q, i)) {
      char c = q.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /** The index after the token at {@code i}: a quoted string and {{...}} are one token. */
  private static int skip(String q, int i) {
    char c = q.charAt(i);
    if (c == '"' || c == '\'' || c == '`') {
      int j = i + 1;
      while (j < q.length() && q.charAt(j) != c) {
        j += q.charAt(j) == '\\' ? 2 : 1;
      }
      return Math.min(j + 1, q.length());
    }
    if (q.startsWith("{{", i)) {
      int close = q.indexOf("}}", i);
      return close < 0 ? q.length() : close + 2;
    }
    return i + 1;
  }

  private static int skipSpace(String q, int i) {
    while (i < q.length() && Character.isWhitespace(q.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * The matchers by which {@code numerator} narrows {@code denominator}, comma-separated, when it
   * is the same expression (once the matchers are taken out) with a strict superset of its
   * matchers; else null.
   */
  static String narrowing(String numerator, String denominator) {
    var n = new Selectors(numerator);
    var d = new Selectors(denominator);
    if (!n.skeleton.equals(d.skeleton)
        || n.matchers.size() != d.matchers.size()
        || n.matchers.isEmpty()
        || !contains(n.matchers, d.matchers)
        || n.matchers.equals(d.matchers)) {
      return null;
    }
    var extra = new TreeSet<String>();
    for (int i = 0; i < n.matchers.size(); i++) {
      extra.addAll(n.matchers.get(i));
      extra.removeAll(d.matchers.get(i));
    }
    return String.join(",", extra);
  }

  private static boolean contains(List<Set<String>> bigger, List<Set<String>> smaller) {
    for (int i = 0; i < bigger.size(); i++) {
      if (!bigger.get(i).containsAll(smaller.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** An expression split into its label matchers ({...} of each selector) and the rest. */
  private static final class Selectors {
    final String skeleton;
    final List<Set<String>> matchers = new ArrayList<>();

    Selectors(String expression) {
      var rest = new StringBuilder();
      int i = 0;
      while (i < expression.length()) {
        char c = expression.charAt(i);
        if (c == '{' && !expression.startsWith("{{", i)) {
          int close = i + 1;
          while (close < expression.length() && expression.charAt(close) != '}') {
            close = skip(expression, close);
          }
          matchers.add(
              matcherSet(expression.substring(i + 1, Math.min(close, expression.length()))));
          rest.append("{}");
          i = close + 1;
        } else {
          int next = skip(expression, i);
          rest.append(expression, i, next);
          i = next;
        }
      }
      skeleton = rest.toString().replaceAll("\\s+", "");
    }

    private static Set<String> matcherSet(String inside) {
      var set = new TreeSet<String>();
      int start = 0;
      for (int i = 0; i <= inside.length(); ) {
        if (i == inside.length() || inside.charAt(i) == ',') {
          String matcher = inside.substring(start, i).replaceAll("\\s+", "");
          if (!matcher.isEmpty()) {
            set.add(matcher);
          }
          start = i + 1;
          i++;
        } else {
          i = skip(inside, i);
        }
      }
      return set;
    }
  }
}
