package dev.weir.analysis.provider.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.analysis.provider.QueryResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what Prometheus' HTTP API answered into a {@link QueryResult}: the values of a vector,
 * scalar or matrix, no data for an empty result, and Prometheus' own words for an error.
 *
 * <p>The answer's shape is documented at https://prometheus.io/docs/prometheus/latest/querying/api/
 * : {@code {"status":"success","data":{"resultType":"vector","result":[{"metric":{...},
 * "value":[1700000000.0,"0.99"]}]}}}; values are strings so that NaN and infinities survive JSON.
 */
final class PrometheusAnswer {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Enough of a proxy's error page to recognise it, not so much that the status drowns. */
  private static final int SHOWN_BODY = 200;

  private final String address;
  private final Duration took;

  private PrometheusAnswer(String address, Duration took) {
    this.address = address;
    this.took = took;
  }

  static QueryResult read(String address, int status, String body, String location, Duration took) {
    return new PrometheusAnswer(address, took).read(status, body, location);
  }

  private QueryResult read(int status, String body, String location) {
    JsonNode root = parse(body);
    if (root == null || !root.path("status").isTextual()) {
      return notPrometheus(status, body, location);
    }
    if (!"success".equals(root.path("status").asText())) {
      return refused(root);
    }
    JsonNode data = root.path("data");
    String type = data.path("resultType").asText("");
    JsonNode result = data.path("result");
    try {
      switch (type) {
        case "vector":
          return series(result, "value");
        case "matrix":
          return series(result, "values");
        case "scalar":
          return QueryResult.values(List.of(value(result)), took);
        case "string":
          return QueryResult.error(
              "the query returned a string ("
                  + result.path(1)
                  + "): string results cannot be judged",
              took);
        default:
          return QueryResult.error(
              "Prometheus at " + address + " answered an unknown result type '" + type + "'", took);
      }
    } catch (UnjudgeableSample e) {
      return QueryResult.error(e.getMessage(), took);
    }
  }

  /** A vector (one sample per series) or a matrix (samples in time order, series by series). */
  private QueryResult series(JsonNode result, String samples) throws UnjudgeableSample {
    var values = new ArrayList<Double>();
    for (JsonNode series : result) {
      JsonNode points = series.path(samples);
      if (points.isMissingNode()) {
        throw new UnjudgeableSample(
            "series "
                + series.path("metric")
                + " has no plain value (a native histogram?): query a quantile or a count instead");
      }
      if (samples.equals("value")) {
        values.add(value(points));
      } else {
        for (JsonNode point : points) {
          values.add(value(point));
        }
      }
    }
    if (values.isEmpty()) {
      return QueryResult.noData("query returned no series", took);
    }
    return QueryResult.values(values, took);
  }

  /** A sample {@code [timestamp, "value"]}; Prometheus spells the specials NaN, +Inf and -Inf. */
  private static double value(JsonNode sample) throws UnjudgeableSample {
    String text = sample.path(1).asText("");
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new UnjudgeableSample(
              "Prometheus answered a sample that is not a number: " + sample);
        }
    }
  }

  /** Prometheus' own error: {@code {"status":"error","errorType":"bad_data","error":"..."}}. */
  private QueryResult refused(JsonNode root) {
    String type = root.path("errorType").asText("unknown");
    String error = root.path("error").asText("(no error text)");
    String what =
        "bad_data".equals(type)
            ? "Prometheus rejected the query"
            : "Prometheus could not answer the query";
    return QueryResult.error(what + " (" + type + "): " + error, took);
  }

  /** Something other than Prometheus' API answered: a proxy, a login page, a wrong path. */
  private QueryResult notPrometheus(int status, String body, String location) {
    var message = new StringBuilder("Prometheus at " + address + " answered HTTP " + status);
    if (status >= 300 && status < 400 && location != null) {
      message.append(", redirecting to ").append(location);
    }
    String line = firstLine(body);
    if (line.isEmpty()) {
      message.append(" with an empty body");
    } else {
      message.append(status / 100 == 2 ? ", not a Prometheus API answer: " : ": ").append(line);
    }
    return QueryResult.error(message.toString(), took);
  }

  private static String firstLine(String body) {
    String line = body.strip().lines().findFirst().orElse("").strip();
    return line.length() <= SHOWN_BODY ? line : line.substring(0, SHOWN_BODY) + "…";
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode root = JSON.readTree(body);
      return root != null && root.isObject() ? root : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** A sample the judge could not use; ends the reading as an error. */
  private static final class UnjudgeableSample extends Exception {
    UnjudgeableSample(String message) {
      super(message, null, false, false);
    }
  }
}
