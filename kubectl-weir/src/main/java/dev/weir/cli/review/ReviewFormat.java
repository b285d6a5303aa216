package dev.weir.cli.review;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.cli.Json;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How a review is written: for a person ({@code text}), for a script ({@code json}), or as GitHub
 * Actions workflow commands ({@code github}), which put each risk on its line of the pull request.
 */
public enum ReviewFormat {
  TEXT,
  JSON,
  GITHUB;

  /** The names, for help and completion. */
  public static final List<String> NAMES = List.of("text", "json", "github");

  public String write(PullRequestReview.Report report, Severity failOn) {
    return switch (this) {
      case TEXT -> text(report);
      case JSON -> Json.write(json(report, failOn)) + "\n";
      case GITHUB -> github(report);
    };
  }

  private static String text(PullRequestReview.Report report) {
    var out = new StringBuilder();
    report.risks().forEach(r -> out.append(r).append('\n'));
    return out.append(summary(report)).append('\n').toString();
  }

  /** {@code 2 risky changes from main (ae69e76) to the working tree: 1 high, 1 warning, 0 info}. */
  static String summary(PullRequestReview.Report report) {
    int n = report.risks().size();
    String between = " from " + report.base() + " to " + report.head();
    if (n == 0) {
      return "no risky changes" + between;
    }
    var counts = new StringBuilder();
    PullRequestReview.counts(report)
        .forEach(
            (word, count) ->
                counts
                    .append(counts.length() == 0 ? "" : ", ")
                    .append(count)
                    .append(' ')
                    .append(word.equals("warning") && count != 1 ? "warnings" : word));
    return n + (n == 1 ? " risky change" : " risky changes") + between + ": " + counts;
  }

  private static ObjectNode json(PullRequestReview.Report report, Severity failOn) {
    ObjectNode root = Json.object();
    root.put("base", report.base());
    root.put("head", report.head());
    root.put("failOn", failOn == null ? "none" : failOn.word());
    root.put("failed", report.reaches(failOn));
    ObjectNode counts = root.putObject("counts");
    PullRequestReview.counts(report).forEach(counts::put);
    ArrayNode risks = root.putArray("risks");
    for (Risk risk : report.risks()) {
      ObjectNode r = risks.addObject();
      r.put("severity", risk.severity().word());
      r.put("file", risk.location().file());
      r.put("line", risk.location().line());
      r.put("object", risk.object());
      r.put("build", risk.build());
      r.put("field", risk.field());
      r.put("message", risk.message());
    }
    return root;
  }

  /**
   * {@code ::warning file=F,line=L,title=T::MESSAGE}: high is an error annotation, warning a
   * warning, info a notice. The summary follows as a plain line for the job's log.
   */
  private static String github(PullRequestReview.Report report) {
    var out = new StringBuilder();
    for (Risk risk : report.risks()) {
      String command =
          switch (risk.severity()) {
            case HIGH -> "error";
            case WARNING -> "warning";
            case INFO -> "notice";
          };
      String title =
          risk.object().isEmpty()
              ? "Weir review"
              : risk.object() + (risk.build().isEmpty() ? "" : " (" + risk.build() + ")");
      out.append("::")
          .append(command)
          .append(" file=")
          .append(property(risk.location().file()))
          .append(",line=")
          .append(risk.location().line())
          .append(",title=")
          .append(property(title))
          .append("::")
          .append(data(risk.message()))
          .append('\n');
    }
    return out.append(summary(report)).append('\n').toString();
  }

  /** The escaping GitHub's workflow commands ask of a message. */
  private static String data(String value) {
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** The escaping GitHub's workflow commands ask of a property's value. */
  private static String property(String value) {
    return data(value).replace(":", "%3A").replace(",", "%2C");
  }

  /** {@code -o text|json|github}, in any case. */
  public static final class Converter implements ITypeConverter<ReviewFormat> {
    @Override
    public ReviewFormat convert(String value) {
      try {
        return ReviewFormat.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "unable to match a printer suitable for the output format \""
                + value
                + "\", allowed formats are: "
                + String.join(", ", NAMES));
      }
    }
  }
}
