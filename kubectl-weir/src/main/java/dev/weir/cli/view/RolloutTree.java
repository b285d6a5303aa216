package dev.weir.cli.view;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a {@link RolloutView}: a summary (status, step, weights, images, replicas), the canary
 * steps while a release is under way, and the tree of revisions with their ReplicaSets and
 * AnalysisRuns (each metric's latest measurement under its run).
 *
 * <pre>
 * NAME                   KIND         STATUS       AGE  INFO
 * checkout               Rollout      Paused       5m
 * |-- revision:2                                        canary
 * |   `-- checkout-7dqpg ReplicaSet   Healthy      1m   1/1 ready
 * `-- revision:1                                        stable
 *     `-- checkout-bc8xz ReplicaSet   Healthy      5m   5/5 ready
 * </pre>
 */
public final class RolloutTree {

  private static final int LABEL = 17;

  private RolloutTree() {}

  public static String render(RolloutView view, Style style, Instant now) {
    var out = new StringBuilder();
    summary(view, style, out);
    if (view.releasing()) {
      out.append('\n').append(style.bold("Steps:")).append('\n');
      for (var step : view.steps()) {
        out.append("  ")
            .append(style.stepMark(step.state()))
            .append("  ")
            .append(pad(Integer.toString(step.number()), 3))
            .append(step.description())
            .append('\n');
      }
    }
    if (!view.abortedRevisions().isEmpty()) {
      out.append('\n').append(style.bold("Aborted revisions:")).append('\n');
      abortedRevisions(view, now, out);
    }
    out.append('\n');
    tree(view, style, now, out);
    return out.toString();
  }

  /** One line each, aligned: hash, images, how long ago, why. */
  private static void abortedRevisions(RolloutView view, Instant now, StringBuilder out) {
    var rows =
        view.abortedRevisions().stream()
            .map(
                a ->
                    List.of(
                        a.hash(),
                        String.join(", ", a.images()),
                        ago(a.abortedAt(), now),
                        a.cause()))
            .toList();
    int[] widths = new int[3];
    for (var row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (var row : rows) {
      var line = new StringBuilder("  ");
      for (int i = 0; i < widths.length; i++) {
        line.append(pad(row.get(i), widths[i])).append("  ");
      }
      out.append(line.append(row.get(3)).toString().stripTrailing()).append('\n');
    }
  }

  private static void summary(RolloutView view, Style style, StringBuilder out) {
    line(out, style, "Name:", view.name());
    line(out, style, "Namespace:", view.namespace());
    line(out, style, "Status:", style.status(view.phase()));
    if (view.message() != null) {
      line(out, style, "Message:", view.message());
    }
    if (!view.observed()) {
      line(out, style, "Note:", "Weir has not yet observed the latest change of the spec");
    }
    line(out, style, "Strategy:", view.strategy());
    line(out, style, "  Step:", step(view));
    line(out, style, "  SetWeight:", orDash(view.setWeight()));
    line(out, style, "  ActualWeight:", orDash(view.actualWeight()));
    boolean first = true;
    for (var image : view.images()) {
      String text =
          image.image()
              + (image.roles().isEmpty() ? "" : " (" + String.join(", ", image.roles()) + ")");
      line(out, style, first ? "Images:" : "", text);
      first = false;
    }
    var r = view.replicas();
    out.append(style.bold("Replicas:")).append('\n');
    line(out, style, "  Desired:", Integer.toString(r.desired()));
    line(out, style, "  Current:", Integer.toString(r.current()));
    line(out, style, "  Updated:", Integer.toString(r.updated()));
    line(out, style, "  Ready:", Integer.toString(r.ready()));
    line(out, style, "  Available:", Integer.toString(r.available()));
  }

  /** 1-based, as Weir's own messages count steps: {@code 2/6}. */
  static String step(RolloutView view) {
    int n = view.stepCount();
    Integer index = view.currentStepIndex();
    if (index == null) {
      return "-";
    }
    if (!view.releasing() || index >= n) {
      return n + "/" + n;
    }
    return (index + 1) + "/" + n;
  }

  private static String orDash(Integer value) {
    return value == null ? "-" : value.toString();
  }

  private static void line(StringBuilder out, Style style, String label, String value) {
    String padded = pad(label, LABEL);
    out.append(label.isEmpty() ? padded : style.bold(padded)).append(value).append('\n');
  }

  private record Row(
      String prefix,
      String icon,
      String name,
      String kind,
      String status,
      String age,
      String info) {}

  private static void tree(RolloutView view, Style style, Instant now, StringBuilder out) {
    var rows = new ArrayList<Row>();
    rows.add(
        new Row(
            "",
            style.icon("Rollout"),
            view.name(),
            "Rollout",
            view.phase(),
            Ages.since(view.created(), now),
            ""));
    var children = new ArrayList<Object>(view.revisions());
    children.addAll(view.analysisRuns());
    for (int i = 0; i < children.size(); i++) {
      boolean last = i == children.size() - 1;
      Object child = children.get(i);
      if (child instanceof RolloutView.RevisionView revision) {
        revision(revision, style, now, style.branch(last), style.pipe(last), rows);
      } else {
        run((AnalysisRunView) child, style, now, style.branch(last), style.pipe(last), rows);
      }
    }
    print(rows, style, out);
  }

  private static void revision(
      RolloutView.RevisionView revision,
      Style style,
      Instant now,
      String branch,
      String pipe,
      List<Row> rows) {
    rows.add(
        new Row(
            branch,
            style.icon("Revision"),
            "revision:" + revision.number(),
            "",
            null,
            "",
            info(revision)));
    var rs = revision.replicaSet();
    int count = 1 + revision.analysisRuns().size();
    rows.add(
        new Row(
            pipe + style.branch(count == 1),
            style.icon("ReplicaSet"),
            rs.name(),
            "ReplicaSet",
            rs.status(),
            Ages.since(rs.created(), now),
            replicaSetInfo(rs, now)));
    for (int i = 0; i < revision.analysisRuns().size(); i++) {
      boolean last = i == revision.analysisRuns().size() - 1;
      run(
          revision.analysisRuns().get(i),
          style,
          now,
          pipe + style.branch(last),
          pipe + style.pipe(last),
          rows);
    }
  }

  private static String ago(String timestamp, Instant now) {
    String age = Ages.since(timestamp, now);
    return age.isEmpty() ? "" : age + " ago";
  }

  /** The revision's roles, and whether it was aborted. */
  private static String info(RolloutView.RevisionView revision) {
    var words = new ArrayList<>(revision.roles());
    if (revision.aborted()) {
      words.add("aborted");
    }
    return String.join(", ", words);
  }

  private static String replicaSetInfo(RolloutView.ReplicaSetView rs, Instant now) {
    String info = rs.ready() + "/" + rs.desired() + " ready";
    Instant at = Ages.parse(rs.scaleDownAt());
    if (at != null && rs.desired() > 0) {
      info +=
          at.isAfter(now)
              ? ", scale-down in " + Ages.human(Duration.between(now, at))
              : ", scaling down";
    }
    return info;
  }

  private static void run(
      AnalysisRunView run, Style style, Instant now, String branch, String pipe, List<Row> rows) {
    rows.add(
        new Row(
            branch,
            style.icon("AnalysisRun"),
            run.name(),
            "AnalysisRun",
            run.phase(),
            Ages.since(run.created(), now),
            run.message() == null ? "" : run.message()));
    for (int i = 0; i < run.metrics().size(); i++) {
      var metric = run.metrics().get(i);
      boolean last = i == run.metrics().size() - 1;
      String info =
          metric.lastValue() == null
              ? "no measurement yet"
              : "value "
                  + metric.lastValue()
                  + " ("
                  + metric.measurements()
                  + " measurement"
                  + (metric.measurements() == 1 ? "" : "s")
                  + ")";
      if (metric.message() != null && !metric.message().isEmpty()) {
        info += ": " + metric.message();
      }
      rows.add(
          new Row(
              pipe + style.branch(last), "", metric.name(), "Metric", metric.phase(), "", info));
    }
  }

  private static void print(List<Row> rows, Style style, StringBuilder out) {
    int name = "NAME".length();
    int kind = "KIND".length();
    int status = "STATUS".length();
    int age = "AGE".length();
    for (Row row : rows) {
      name = Math.max(name, visible(row.prefix) + visible(row.icon) + row.name.length());
      kind = Math.max(kind, row.kind.length());
      status = Math.max(status, style.width(row.status));
      age = Math.max(age, row.age.length());
    }
    out.append(
            style.dim(
                pad("NAME", name)
                    + "  "
                    + pad("KIND", kind)
                    + "  "
                    + pad("STATUS", status)
                    + "  "
                    + pad("AGE", age)
                    + "  INFO"))
        .append('\n');
    for (Row row : rows) {
      String left = row.prefix + row.icon + row.name;
      String statusText = style.status(row.status);
      String line =
          left
              + " ".repeat(name - visible(row.prefix) - visible(row.icon) - row.name.length())
              + "  "
              + pad(row.kind, kind)
              + "  "
              + statusText
              + " ".repeat(status - style.width(row.status))
              + "  "
              + pad(row.age, age)
              + "  "
              + row.info;
      out.append(line.stripTrailing()).append('\n');
    }
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  /** Code points: the tree lines and icons are one column each. */
  private static int visible(String s) {
    return s.codePointCount(0, s.length());
  }
}
