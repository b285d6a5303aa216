package dev.weir.cli.convert;

import dev.weir.api.validation.MetricCondition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Argo Rollouts' metric conditions, written in expr (github.com/expr-lang/expr), as CEL, the
 * language Weir's conditions are in. The common forms translate:
 *
 * <ul>
 *   <li>comparisons and arithmetic over {@code result} and {@code result[N]}, with {@code and},
 *       {@code or}, {@code not}; a bare {@code result} compared with a number is its first value;
 *   <li>{@code len(result)} as {@code size(result)};
 *   <li>{@code all}, {@code any}, {@code none}, {@code one}, {@code filter}, {@code map} and {@code
 *       count} over a list with a {@code {# ...}} predicate, as CEL's macros;
 *   <li>the guards of a measurement without data, {@code len(result) == 0 || ...}, {@code
 *       isNaN(result[0]) || ...}, {@code len(result) > 0 && ...}: Weir judges an empty or NaN
 *       result before the conditions, by the metric's {@code noDataPolicy}, so the guard becomes
 *       that policy and leaves the condition.
 * </ul>
 *
 * Anything else (string functions, {@code default}, {@code isInf}, a guard nested inside another
 * expression) is reported as untranslatable, with the reason; the caller keeps the text as written.
 */
final class ExprConditions {

  private ExprConditions() {}

  /** What a condition says about a measurement that found no data. */
  enum NoData {
    /** The condition holds (a guard {@code len(result) == 0 || ...}). */
    HOLDS,
    /** The condition does not hold (a guard {@code len(result) > 0 && ...}). */
    FAILS,
    /** The condition does not say: Weir's default applies. */
    UNSAID
  }

  /**
   * One condition translated.
   *
   * @param cel the CEL text, or null when nothing is left once the guard is taken out
   * @param noData what the guard said
   * @param guard the guard's text as written, or null
   */
  record Condition(String cel, NoData noData, String guard) {}

  /** Why an expression could not be translated. */
  static final class Untranslatable extends Exception {
    Untranslatable(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * Both conditions of a metric, translated, and the no-data policy their guards add up to.
   *
   * @param successCondition the CEL text, the text as written when untranslatable, or null
   * @param noDataPolicy {@code Pass}, {@code Fail} or {@code Inconclusive}, or null for Weir's
   *     default
   * @param guards the guards that became the policy, as written
   * @param problems why a condition could not be translated, by field name
   */
  record Translation(
      String successCondition,
      String failureCondition,
      String noDataPolicy,
      List<String> guards,
      Map<String, String> problems) {}

  static Translation translate(String success, String failure) {
    var problems = new LinkedHashMap<String, String>();
    Condition s = translateOrKeep("successCondition", success, problems);
    Condition f = translateOrKeep("failureCondition", failure, problems);
    var guards = new ArrayList<String>();
    if (s != null && s.guard() != null) {
      guards.add(s.guard());
    }
    if (f != null && f.guard() != null) {
      guards.add(f.guard());
    }
    String policy = guards.isEmpty() ? null : policy(s, f);
    String successCel = s == null ? null : s.cel();
    String failureCel = f == null ? null : f.cel();
    if (successCel == null && failureCel == null && (s != null || f != null)) {
      // Only guards: any data at all decides the other way, and Weir needs a condition.
      successCel = "true";
    }
    return new Translation(successCel, failureCel, policy, guards, problems);
  }

  /**
   * How Argo Rollouts would judge a measurement without data with these guards (a metric with a
   * failureCondition that holds fails; a successCondition decides next; with both and neither
   * holding, Inconclusive), as Weir's noDataPolicy.
   */
  private static String policy(Condition success, Condition failure) {
    NoData f = failure == null ? NoData.UNSAID : failure.noData();
    NoData s = success == null ? NoData.UNSAID : success.noData();
    if (f == NoData.HOLDS) {
      return "Fail";
    }
    if (s == NoData.HOLDS) {
      return "Pass";
    }
    if (success != null) {
      return failure != null ? "Inconclusive" : "Fail";
    }
    return "Pass";
  }

  private static Condition translateOrKeep(
      String field, String expr, Map<String, String> problems) {
    if (expr == null) {
      return null;
    }
    try {
      return translate(expr);
    } catch (Untranslatable e) {
      problems.put(field, e.getMessage());
      return new Condition(expr, NoData.UNSAID, null);
    }
  }

  /** One expression as CEL. */
  static Condition translate(String expr) throws Untranslatable {
    Node root = new Parser(new Lexer(expr).tokens()).parse();
    NoData noData = NoData.UNSAID;
    String guard = null;
    List<Node> kept;
    if (isNoDataHolds(root) || isHasData(root)) {
      noData = isNoDataHolds(root) ? NoData.HOLDS : NoData.FAILS;
      guard = root.text(expr);
      kept = List.of();
    } else if (root instanceof Binary b && (b.op().equals("||") || b.op().equals("&&"))) {
      // A guard that holds on no data is a term of an ||; one that fails on it, of an &&.
      boolean or = b.op().equals("||");
      Predicate<Node> isGuard = or ? ExprConditions::isNoDataHolds : ExprConditions::isHasData;
      var terms = flatten(root, b.op());
      kept = terms.stream().filter(isGuard.negate()).toList();
      if (kept.size() < terms.size()) {
        noData = or ? NoData.HOLDS : NoData.FAILS;
        guard = guards(terms, kept, expr, " " + b.op() + " ");
      }
    } else {
      kept = List.of(root);
    }
    if (kept.isEmpty()) {
      return new Condition(null, noData, guard);
    }
    Node rest = kept.get(0);
    for (Node term : kept.subList(1, kept.size())) {
      rest = Binary.of(root instanceof Binary b ? b.op() : "&&", rest, term);
    }
    Typed typed = new Emitter().emit(rest, Type.BOOL);
    if (typed.type != Type.BOOL && typed.type != Type.ANY) {
      throw new Untranslatable("it is not a true/false test of result");
    }
    String cel = typed.text;
    if (!cel.contains("{{")) {
      try {
        MetricCondition.compile(cel);
      } catch (MetricCondition.InvalidCondition e) {
        throw new Untranslatable("its CEL form '" + cel + "' does not compile: " + e.getMessage());
      }
    }
    return new Condition(cel, noData, guard);
  }

  private static String guards(List<Node> terms, List<Node> kept, String expr, String op) {
    var removed = terms.stream().filter(t -> !kept.contains(t)).map(t -> t.text(expr)).toList();
    return String.join(op, removed);
  }

  private static List<Node> flatten(Node node, String op) {
    if (node instanceof Binary b && b.op().equals(op)) {
      var terms = new ArrayList<>(flatten(b.left(), op));
      terms.addAll(flatten(b.right(), op));
      return terms;
    }
    return List.of(node);
  }

  /** {@code len(result) == 0}, {@code isNaN(result)}, {@code isNaN(result[0])}... */
  private static boolean isNoDataHolds(Node n) {
    if (n instanceof Call c && c.name().equals("isNaN") && c.args().size() == 1) {
      return isResult(c.args().get(0)) || isFirstResult(c.args().get(0));
    }
    return lengthTest(n, Set.of("== 0", "< 1", "<= 0"));
  }

  /** {@code len(result) > 0}, {@code !isNaN(result[0])}... */
  private static boolean isHasData(Node n) {
    if (n instanceof Unary u && u.op().equals("!")) {
      return u.operand() instanceof Call c && c.name().equals("isNaN") && isNoDataHolds(c);
    }
    return lengthTest(n, Set.of("> 0", ">= 1", "!= 0"));
  }

  private static boolean lengthTest(Node n, Set<String> tests) {
    return n instanceof Binary b
        && b.left() instanceof Call c
        && c.name().equals("len")
        && c.args().size() == 1
        && isResult(c.args().get(0))
        && b.right() instanceof Num num
        && tests.contains(b.op() + " " + num.text());
  }

  private static boolean isResult(Node n) {
    return n instanceof Ident i && i.name().equals("result");
  }

  private static boolean isFirstResult(Node n) {
    return n instanceof Index ix
        && isResult(ix.target())
        && ix.index() instanceof Num num
        && num.text().equals("0");
  }

  // ---- tokens

  private record Token(String kind, String text, int start, int end) {}

  private static final class Lexer {
    private static final List<String> SYMBOLS =
        List.of(
            "**", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "..", "<", ">", "!", "+", "-",
            "*", "/", "%", "^", "(", ")", "[", "]", ",", ".", "?", ":", "{", "}", "#");
    private final String s;
    private int i;

    Lexer(String s) {
      this.s = s;
    }

    List<Token> tokens() throws Untranslatable {
      var tokens = new ArrayList<Token>();
      while (true) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
          i++;
        }
        if (i >= s.length()) {
          tokens.add(new Token("end", "", i, i));
          return tokens;
        }
        int start = i;
        char c = s.charAt(i);
        if (s.startsWith("{{", i)) {
          int close = s.indexOf("}}", i);
          if (close < 0) {
            throw new Untranslatable("an unclosed {{ at column " + (i + 1));
          }
          i = close + 2;
          tokens.add(new Token("arg", s.substring(start, i), start, i));
        } else if (Character.isDigit(c)
            || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
          while (i < s.length()
              && (Character.isLetterOrDigit(s.charAt(i))
                  || s.charAt(i) == '.'
                  || s.charAt(i) == '_'
                  || ((s.charAt(i) == '+' || s.charAt(i) == '-')
                      && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')))) {
            if (s.charAt(i) == '.' && i + 1 < s.length() && s.charAt(i + 1) == '.') {
              break;
            }
            i++;
          }
          tokens.add(new Token("num", s.substring(start, i).replace("_", ""), start, i));
        } else if (Character.isLetter(c) || c == '_' || c == '$') {
          while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
          }
          tokens.add(new Token("ident", s.substring(start, i), start, i));
        } else if (c == '"' || c == '\'' || c == '`') {
          i++;
          while (i < s.length() && s.charAt(i) != c) {
            i += s.charAt(i) == '\\' ? 2 : 1;
          }
          if (i >= s.length()) {
            throw new Untranslatable("an unclosed string at column " + (start + 1));
          }
          i++;
          tokens.add(new Token("str", s.substring(start, i), start, i));
        } else {
          String symbol =
              SYMBOLS.stream().filter(x -> s.startsWith(x, start)).findFirst().orElse(null);
          if (symbol == null) {
            throw new Untranslatable("'" + c + "' at column " + (start + 1) + " is not expr");
          }
          i += symbol.length();
          tokens.add(new Token("op", symbol, start, i));
        }
      }
    }
  }

  // ---- syntax tree

  /** A node of the syntax tree, with where it is in the expression's text. */
  private sealed interface Node {
    int start();

    int end();

    default String text(String source) {
      return source.substring(start(), end()).trim();
    }
  }

  private record Num(String text, int start, int end) implements Node {
    boolean integral() {
      return text.chars().allMatch(Character::isDigit);
    }
  }

  /** A literal written in CEL as it is: a string, a boolean, an {{args.NAME}}. */
  private record Literal(String cel, Type type, int start, int end) implements Node {}

  private record Ident(String name, int start, int end) implements Node {}

  private record Index(Node target, Node index, int start, int end) implements Node {}

  private record Member(Node target, String name, int start, int end) implements Node {}

  private record Call(String name, List<Node> args, int start, int end) implements Node {}

  /** A predicate {@code {# > 0.5}}: {@code #} is the element. */
  private record Closure(Node body, int start, int end) implements Node {}

  private record Pointer(int start, int end) implements Node {}

  private record Unary(String op, Node operand, int start, int end) implements Node {}

  private record Binary(String op, Node left, Node right, int start, int end) implements Node {
    /** An operator between two operands spans them both. */
    static Binary of(String op, Node left, Node right) {
      return new Binary(op, left, right, left.start(), right.end());
    }
  }

  private record Ternary(Node test, Node then, Node otherwise) implements Node {
    @Override
    public int start() {
      return test.start();
    }

    @Override
    public int end() {
      return otherwise.end();
    }
  }

  private record ArrayLiteral(List<Node> items, int start, int end) implements Node {}

  // ---- parser: expr's precedence, lowest first

  private static final class Parser {
    private final List<Token> tokens;
    private int at;

    Parser(List<Token> tokens) {
      this.tokens = tokens;
    }

    Node parse() throws Untranslatable {
      Node node = ternary();
      if (!peek().kind().equals("end")) {
        throw new Untranslatable("unexpected '" + peek().text() + "' at column " + col());
      }
      return node;
    }

    private Token peek() {
      return tokens.get(at);
    }

    private int col() {
      return peek().start() + 1;
    }

    private boolean is(String text) {
      Token t = peek();
      return (t.kind().equals("op") || t.kind().equals("ident")) && t.text().equals(text);
    }

    private Token next() {
      return tokens.get(at++);
    }

    private void expect(String text) throws Untranslatable {
      if (!is(text)) {
        throw new Untranslatable(
            "expected '" + text + "' at column " + col() + ", found '" + peek().text() + "'");
      }
      next();
    }

    private Node ternary() throws Untranslatable {
      Node test = or();
      if (is("?")) {
        next();
        Node then = ternary();
        expect(":");
        return new Ternary(test, then, ternary());
      }
      if (is("??")) {
        throw new Untranslatable("'??' (nil coalescing) has no CEL form here");
      }
      return test;
    }

    /**
     * The binary operators, one level of precedence each, lowest first: their words as expr writes
     * them, and CEL's. All associate to the left.
     */
    private static final List<Map<String, String>> LEVELS =
        List.of(
            Map.of("||", "||", "or", "||"),
            Map.of("&&", "&&", "and", "&&"),
            Map.of("==", "==", "!=", "!=", "<", "<", "<=", "<=", ">", ">", ">=", ">=", "in", "in"),
            Map.of("+", "+", "-", "-"),
            Map.of("*", "*", "/", "/", "%", "%"));

    private static final int RELATION = 2;
    private static final Set<String> STRING_TESTS =
        Set.of("matches", "contains", "startsWith", "endsWith");

    private Node or() throws Untranslatable {
      return binary(0);
    }

    private Node binary(int level) throws Untranslatable {
      if (level == LEVELS.size()) {
        return unary();
      }
      Node left = binary(level + 1);
      while (true) {
        Token t = peek();
        String op =
            t.kind().equals("op") || t.kind().equals("ident")
                ? LEVELS.get(level).get(t.text())
                : null;
        if (level == RELATION && is("not") && tokens.get(at + 1).text().equals("in")) {
          next();
          next();
          var in = Binary.of("in", left, binary(level + 1));
          left = new Unary("!", in, in.start(), in.end());
        } else if (level == RELATION && STRING_TESTS.contains(t.text())) {
          throw new Untranslatable("'" + t.text() + "' tests a string, and result holds numbers");
        } else if (op != null) {
          next();
          left = Binary.of(op, left, binary(level + 1));
        } else {
          break;
        }
      }
      if (is("**") || is("^")) {
        throw new Untranslatable("'" + peek().text() + "' (a power) has no CEL form");
      }
      return left;
    }

    private Node unary() throws Untranslatable {
      if (is("!") || is("not")) {
        Token op = next();
        Node operand = unary();
        return new Unary("!", operand, op.start(), operand.end());
      }
      if (is("-")) {
        Token op = next();
        Node operand = unary();
        return new Unary("-", operand, op.start(), operand.end());
      }
      if (is("+")) {
        next();
        return unary();
      }
      return postfix(primary());
    }

    private Node postfix(Node node) throws Untranslatable {
      while (true) {
        if (is("[")) {
          next();
          Node index = ternary();
          if (is(":")) {
            throw new Untranslatable("a slice ([a:b]) has no CEL form");
          }
          Token close = peek();
          expect("]");
          node = new Index(node, index, node.start(), close.end());
        } else if (is(".") || is("?.")) {
          next();
          Token name = next();
          if (!name.kind().equals("ident")) {
            throw new Untranslatable("expected a field name at column " + (name.start() + 1));
          }
          node = new Member(node, name.text(), node.start(), name.end());
        } else {
          return node;
        }
      }
    }

    private Node primary() throws Untranslatable {
      Token t = next();
      switch (t.kind()) {
        case "num":
          return new Num(t.text(), t.start(), t.end());
        case "arg":
          return new Literal(argument(t.text()), Type.ANY, t.start(), t.end());
        case "str":
          return new Literal(t.text(), Type.STRING, t.start(), t.end());
        case "ident":
          return identifier(t);
        default:
          break;
      }
      switch (t.text()) {
        case "(" -> {
          Node inner = ternary();
          expect(")");
          return inner;
        }
        case "[" -> {
          var items = items("]");
          return new ArrayLiteral(items, t.start(), tokens.get(at - 1).end());
        }
        case "{" -> {
          if (!peek().text().equals("#") && !peek().text().equals(".")) {
            throw new Untranslatable("a map literal at column " + (t.start() + 1));
          }
          Node body = ternary();
          Token close = peek();
          expect("}");
          return new Closure(body, t.start(), close.end());
        }
        case "#" -> {
          return new Pointer(t.start(), t.end());
        }
        case "." -> {
          // {.field} inside a predicate: a field of the element.
          Token name = next();
          return new Member(new Pointer(t.start(), t.start()), name.text(), t.start(), name.end());
        }
        default ->
            throw new Untranslatable("unexpected '" + t.text() + "' at column " + (t.start() + 1));
      }
    }

    private Node identifier(Token t) throws Untranslatable {
      switch (t.text()) {
        case "true", "false" -> {
          return new Literal(t.text(), Type.BOOL, t.start(), t.end());
        }
        case "nil" -> throw new Untranslatable("nil: a Prometheus result is never nil");
        default -> {}
      }
      if (is("(")) {
        next();
        var args = items(")");
        return new Call(t.text(), args, t.start(), tokens.get(at - 1).end());
      }
      return new Ident(t.text(), t.start(), t.end());
    }

    /** Expressions separated by commas up to {@code close}, which is consumed. */
    private List<Node> items(String close) throws Untranslatable {
      var items = new ArrayList<Node>();
      while (!is(close)) {
        items.add(ternary());
        if (!is(close)) {
          expect(",");
        }
      }
      next();
      return items;
    }

    /** {{ args.name }} as Weir writes it, {{args.name}}. */
    private static String argument(String text) {
      return "{{" + text.substring(2, text.length() - 2).trim() + "}}";
    }
  }

  // ---- CEL, with types: result is a list of doubles; len gives an int

  private enum Type {
    LIST,
    DOUBLE,
    INT,
    BOOL,
    STRING,
    /** An {{args.NAME}} placeholder: its value is text put in place later. */
    ANY
  }

  private record Typed(String text, Type type, int precedence) {}

  private static final Map<String, Integer> PRECEDENCE =
      Map.ofEntries(
          Map.entry("?", 1),
          Map.entry("||", 2),
          Map.entry("&&", 3),
          Map.entry("==", 4),
          Map.entry("!=", 4),
          Map.entry("<", 4),
          Map.entry("<=", 4),
          Map.entry(">", 4),
          Map.entry(">=", 4),
          Map.entry("in", 4),
          Map.entry("+", 5),
          Map.entry("-", 5),
          Map.entry("*", 6),
          Map.entry("/", 6),
          Map.entry("%", 6));

  private static final int UNARY = 7;
  private static final int PRIMARY = 8;

  private static final Map<String, String> MACROS =
      Map.of(
          "all", "all",
          "any", "exists",
          "one", "exists_one",
          "none", "exists",
          "filter", "filter",
          "map", "map",
          "count", "filter");

  private static final class Emitter {
    private int depth;

    /**
     * @param expected the type the context wants, to give a literal number its CEL type
     */
    Typed emit(Node node, Type expected) throws Untranslatable {
      if (node instanceof Num n) {
        boolean asDouble = expected == Type.DOUBLE || !n.integral();
        String text = n.integral() && asDouble ? n.text() + ".0" : n.text();
        return new Typed(text, asDouble ? Type.DOUBLE : Type.INT, PRIMARY);
      }
      if (node instanceof Literal l) {
        return new Typed(l.cel(), l.type(), PRIMARY);
      }
      if (node instanceof Ident i) {
        if (!i.name().equals("result")) {
          throw new Untranslatable("'" + i.name() + "' is not known here: conditions read result");
        }
        return expected == Type.DOUBLE
            ? new Typed("result[0]", Type.DOUBLE, PRIMARY)
            : new Typed("result", Type.LIST, PRIMARY);
      }
      if (node instanceof Pointer) {
        return new Typed(variable(), Type.DOUBLE, PRIMARY);
      }
      if (node instanceof Index ix) {
        Typed target = emit(ix.target(), Type.LIST);
        if (target.type != Type.LIST) {
          throw new Untranslatable("only result can be indexed");
        }
        Typed index = emit(ix.index(), Type.INT);
        return new Typed(target.text + "[" + index.text + "]", Type.DOUBLE, PRIMARY);
      }
      if (node instanceof Member) {
        throw new Untranslatable("a field of a value: result holds numbers");
      }
      if (node instanceof Call c) {
        return call(c);
      }
      if (node instanceof Unary u) {
        Typed operand = emit(u.operand(), u.op().equals("!") ? Type.BOOL : expected);
        return new Typed(u.op() + wrap(operand, UNARY), operand.type, UNARY);
      }
      if (node instanceof Ternary t) {
        Typed test = emit(t.test(), Type.BOOL);
        Typed then = emit(t.then(), expected);
        Typed otherwise = emit(t.otherwise(), then.type);
        return new Typed(
            wrap(test, 2) + " ? " + wrap(then, 2) + " : " + wrap(otherwise, 1), then.type, 1);
      }
      if (node instanceof ArrayLiteral a) {
        var items = new ArrayList<String>();
        for (Node item : a.items()) {
          items.add(emit(item, expected).text);
        }
        return new Typed("[" + String.join(", ", items) + "]", Type.LIST, PRIMARY);
      }
      if (node instanceof Binary b) {
        return binary(b);
      }
      if (node instanceof Closure) {
        throw new Untranslatable("a predicate outside all(), any(), filter()...");
      }
      throw new Untranslatable("an expression convert does not know");
    }

    private Typed binary(Binary b) throws Untranslatable {
      if (isNoDataHolds(b) || isHasData(b)) {
        // The guards at the top were taken out already: this one is inside something else.
        throw new Untranslatable(
            "a test of len(result) inside a larger expression: Weir judges an empty result"
                + " before the conditions (noDataPolicy), so the condition never sees one");
      }
      int precedence = PRECEDENCE.get(b.op());
      if (b.op().equals("&&") || b.op().equals("||")) {
        Typed left = emit(b.left(), Type.BOOL);
        Typed right = emit(b.right(), Type.BOOL);
        return new Typed(
            wrap(left, precedence) + " " + b.op() + " " + wrap(right, precedence + 1),
            Type.BOOL,
            precedence);
      }
      // A number takes the type of the other side where CEL wants one type (==, !=, in,
      // arithmetic): result's values are doubles, len an int. <, <=, >, >= compare across both,
      // so there a number stays as written.
      boolean ordering = Set.of("<", "<=", ">", ">=").contains(b.op());
      Typed left;
      Typed right;
      if (b.left() instanceof Num || b.left() instanceof Literal) {
        right = emit(b.right(), Type.DOUBLE);
        left = emit(b.left(), ordering ? Type.ANY : elementOf(right.type));
      } else {
        left = emit(b.left(), Type.DOUBLE);
        right = emit(b.right(), ordering ? Type.ANY : elementOf(left.type));
      }
      Type type = precedence == 4 ? Type.BOOL : wider(left.type, right.type);
      return new Typed(
          wrap(left, precedence) + " " + b.op() + " " + wrap(right, precedence + 1),
          type,
          precedence);
    }

    private static Type elementOf(Type type) {
      return type == Type.LIST ? Type.DOUBLE : type;
    }

    private static Type wider(Type a, Type b) {
      return a == Type.DOUBLE || b == Type.DOUBLE ? Type.DOUBLE : a;
    }

    private Typed call(Call c) throws Untranslatable {
      if (c.name().equals("len") && c.args().size() == 1) {
        Typed arg = emit(c.args().get(0), Type.LIST);
        if (arg.type != Type.LIST) {
          throw new Untranslatable("len() of something other than a list");
        }
        return new Typed("size(" + arg.text + ")", Type.INT, PRIMARY);
      }
      String macro = MACROS.get(c.name());
      if (macro != null && c.args().size() == 2) {
        // all(result, {# < 1000}) or, in newer expr, all(result, # < 1000)
        Node predicate =
            c.args().get(1) instanceof Closure closure ? closure.body() : c.args().get(1);
        Typed list = emit(c.args().get(0), Type.LIST);
        if (list.type != Type.LIST) {
          throw new Untranslatable(c.name() + "() of something other than a list");
        }
        depth++;
        String variable = variable();
        Typed body;
        try {
          body = emit(predicate, c.name().equals("map") ? Type.DOUBLE : Type.BOOL);
        } finally {
          depth--;
        }
        String text = list.text + "." + macro + "(" + variable + ", " + body.text + ")";
        return switch (c.name()) {
          case "none" -> new Typed("!" + text, Type.BOOL, UNARY);
          case "count" -> new Typed("size(" + text + ")", Type.INT, PRIMARY);
          case "filter", "map" -> new Typed(text, Type.LIST, PRIMARY);
          default -> new Typed(text, Type.BOOL, PRIMARY);
        };
      }
      if (c.name().equals("isNaN") || c.name().equals("len")) {
        throw new Untranslatable(
            c.name()
                + "() inside a larger expression: Weir judges an empty or NaN result before the"
                + " conditions (noDataPolicy), so the condition never sees one");
      }
      throw new Untranslatable(c.name() + "() has no CEL form in Weir's conditions");
    }

    /** The element variable of the innermost predicate: x, then y, z for nested ones. */
    private String variable() {
      return switch (depth) {
        case 0, 1 -> "x";
        case 2 -> "y";
        default -> "z" + depth;
      };
    }

    private static String wrap(Typed t, int precedence) {
      return t.precedence < precedence ? "(" + t.text + ")" : t.text;
    }
  }
}
