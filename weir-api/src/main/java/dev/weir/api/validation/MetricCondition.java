package dev.weir.api.validation;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A successCondition or failureCondition: a CEL expression over {@code result}, the list of sample
 * values, that must be a bool. Compiled once per distinct text (a template is validated on every
 * reconcile that reads it), so a typo is caught when the template is read, not at the first
 * measurement.
 */
public final class MetricCondition {

  // Numbers compare across int and double (result[0] < 500), as users write them in templates.
  private static final CelOptions OPTIONS =
      CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setOptions(OPTIONS)
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("result", ListType.create(SimpleType.DOUBLE))
          .setResultType(SimpleType.BOOL)
          .build();
  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
  private static final Map<String, MetricCondition> COMPILED = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 4096;

  private final String expression;
  private final CelRuntime.Program program;

  private MetricCondition(String expression, CelRuntime.Program program) {
    this.expression = expression;
    this.program = program;
  }

  /**
   * Compiles an expression.
   *
   * @throws InvalidCondition with CEL's own message, pointing at the column
   */
  public static MetricCondition compile(String expression) {
    MetricCondition cached = COMPILED.get(expression);
    if (cached != null) {
      return cached;
    }
    MetricCondition compiled;
    try {
      CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
      compiled = new MetricCondition(expression, RUNTIME.createProgram(ast));
    } catch (CelValidationException e) {
      String message = firstLine(e.getMessage());
      if (message.matches(".*\\((double, (list\\()?int|int, double)\\).*")) {
        // result holds doubles; CEL orders across int and double but compares equality only
        // within one type.
        message += " (result holds doubles: write 0.0, not 0, to compare with == or in)";
      }
      throw new InvalidCondition(message);
    } catch (CelEvaluationException e) {
      throw new InvalidCondition(e.getMessage());
    }
    if (COMPILED.size() < MAX_CACHED) {
      COMPILED.put(expression, compiled);
    }
    return compiled;
  }

  /**
   * Evaluates the condition over a result.
   *
   * @throws ConditionFailed when the expression cannot be evaluated on this result (an index past
   *     its end, say): the measurement is then an Error, not a verdict
   */
  public boolean holds(List<Double> result) {
    try {
      return (Boolean) program.eval(Map.of("result", result));
    } catch (CelEvaluationException e) {
      throw new ConditionFailed(expression + ": " + e.getMessage());
    }
  }

  public String expression() {
    return expression;
  }

  private static String firstLine(String message) {
    // CEL's message is "ERROR: <input>:1:14: what\n | source\n | ...^": the first line says it.
    String line = message.lines().findFirst().orElse(message);
    return line.replace("ERROR: <input>:", "at ");
  }

  /** An expression that does not compile, or is not a bool over result. */
  public static final class InvalidCondition extends IllegalArgumentException {
    InvalidCondition(String message) {
      super(message);
    }
  }

  /** An expression that could not be evaluated on a result. */
  public static final class ConditionFailed extends RuntimeException {
    ConditionFailed(String message) {
      super(message);
    }
  }
}
