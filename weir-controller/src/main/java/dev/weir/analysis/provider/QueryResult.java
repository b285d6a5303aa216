package dev.weir.analysis.provider;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a metrics backend answered for one query. A bad answer (no data, an error, an unreachable
 * backend) is an outcome, never an exception: the judge decides what it means for the rollout.
 *
 * @param outcome what kind of answer it was
 * @param values the sample values, in the backend's order; empty unless {@link Outcome#VALUES}
 * @param message for the user: why there is no data, or what the backend said; empty for values
 * @param took wall-clock time of the exchange with the backend
 */
public record QueryResult(Outcome outcome, List<Double> values, String message, Duration took) {

  public enum Outcome {
    /** The backend answered with at least one value (NaN and infinities included). */
    VALUES,
    /** The backend answered, but with nothing to judge. */
    NO_DATA,
    /** The backend did not answer, or refused the query. */
    ERROR
  }

  public QueryResult {
    Objects.requireNonNull(outcome, "outcome");
    values = List.copyOf(values);
    message = message == null ? "" : message;
    Objects.requireNonNull(took, "took");
    if ((outcome == Outcome.VALUES) == values.isEmpty()) {
      throw new IllegalArgumentException(
          outcome + " with " + values.size() + " values: only VALUES carries values, at least one");
    }
  }

  public static QueryResult values(List<Double> values, Duration took) {
    return new QueryResult(Outcome.VALUES, values, "", took);
  }

  public static QueryResult noData(String message, Duration took) {
    return new QueryResult(Outcome.NO_DATA, List.of(), message, took);
  }

  public static QueryResult error(String message, Duration took) {
    return new QueryResult(Outcome.ERROR, List.of(), message, took);
  }
}
