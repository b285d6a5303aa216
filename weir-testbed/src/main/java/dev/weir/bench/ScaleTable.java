package dev.weir.bench;

import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The figures of {@link ScaleBench} as tables: one column per N with the growth from the first N to
 * the last beside it, and, for each N, the requests by verb and resource behind the counts.
 */
final class ScaleTable {

  private record Row(String label, String format, ToDoubleFunction<ScaleFigures> value) {}

  private static final List<Row> ROWS =
      List.of(
          new Row(
              "objects created per second", "%.0f", f -> f.objectsCreated / seconds(f.creation)),
          new Row("creation start to fleet all Healthy (s)", "%.1f", f -> seconds(f.settling)),
          new Row("controller start to ready, fleet present (ms)", "%.0f", f -> millis(f.ready)),
          new Row("  start to every rollout reconciled (s)", "%.1f", f -> seconds(f.quiet)),
          new Row("heap after full GC, at rest (MiB)", "%.1f", f -> f.restHeapMiB),
          new Row("RSS, at rest (MiB)", "%.0f", f -> f.restRssMiB),
          new Row("requests/s at rest: get", "%.2f", f -> f.restPerSecond("get")),
          new Row("                    list", "%.2f", f -> f.restPerSecond("list")),
          new Row("                    watch", "%.2f", f -> f.restPerSecond("watch")),
          new Row(
              "reads per idle rollout per hour",
              "%.1f",
              f ->
                  (f.restCounts.byVerb().getOrDefault("get", 0L)
                          + f.restCounts.byVerb().getOrDefault("list", 0L))
                      * 3_600_000.0
                      / f.restWindow.toMillis()
                      / f.rollouts),
          new Row(
              "writes per idle rollout in the rest window",
              "%.3f",
              f -> f.restCounts.writes() / (double) f.rollouts),
          new Row("releasing at once", "%.0f", f -> f.releasing),
          new Row("release: declared to all promoted (s)", "%.1f", f -> seconds(f.releaseTime)),
          new Row("heap after full GC, mid-release (MiB)", "%.1f", f -> f.releaseHeapMiB),
          new Row("RSS, largest in the release (MiB)", "%.0f", f -> f.releaseRssMiB),
          new Row("step lateness p50 (ms)", "%.0f", f -> late(f, 50)),
          new Row("step lateness p99 (ms)", "%.0f", f -> late(f, 99)),
          new Row("step lateness max (ms)", "%.0f", f -> late(f, 100)),
          new Row("  timed pauses measured", "%.0f", f -> f.lateness.values().size()),
          new Row("  pauses ended with no weight seen", "%.0f", f -> f.lateness.missing()),
          new Row("requests/s in the release: get", "%.1f", f -> f.releasePerSecond("get")),
          new Row("                           list", "%.2f", f -> f.releasePerSecond("list")),
          new Row("                           watch", "%.2f", f -> f.releasePerSecond("watch")),
          new Row(
              "                           writes",
              "%.1f",
              f -> f.releaseCounts.writes() * 1000.0 / f.releaseTime.toMillis()),
          new Row("per step transition: get", "%.2f", f -> f.perTransition("get")),
          new Row("                     patch", "%.2f", f -> f.perTransition("patch")),
          new Row("                     update", "%.2f", f -> f.perTransition("update")),
          new Row("                     create", "%.2f", f -> f.perTransition("create")),
          new Row(
              "                     writes",
              "%.2f",
              f -> f.releaseCounts.writes() / (double) f.transitions));

  private ScaleTable() {}

  /** Every figure, one column per N, and how much it grew from the first N to the last. */
  static String growth(List<ScaleFigures> all) {
    var out = new StringBuilder();
    out.append("\nweir controller: a fleet of rollouts on one replica, on a real API server\n\n");
    out.append(String.format("%-48s", "figure"));
    all.forEach(f -> out.append(String.format(" %10s", "N=" + f.rollouts)));
    if (all.size() > 1) {
      out.append(
          String.format(
              "  growth (N x%.0f)",
              all.get(all.size() - 1).rollouts / (double) all.get(0).rollouts));
    }
    out.append('\n').append("-".repeat(48 + 11 * all.size() + 18)).append('\n');
    for (var row : ROWS) {
      out.append(String.format("%-48s", row.label()));
      for (var f : all) {
        out.append(
            String.format(" %10s", String.format(row.format(), row.value().applyAsDouble(f))));
      }
      if (all.size() > 1) {
        double first = row.value().applyAsDouble(all.get(0));
        double last = row.value().applyAsDouble(all.get(all.size() - 1));
        out.append(first > 0 ? String.format("  x%.2f", last / first) : "  -");
      }
      out.append('\n');
    }
    out.append(
        "step transition: each of a rollout's steps, and its promotion, in a release\n"
            + "writes: create, update, patch, delete; requests as the API server's audit log"
            + " counts them\n");
    return out.toString();
  }

  /** One N as soon as it is measured, with the requests behind its counts. */
  static String single(ScaleFigures f) {
    var out = new StringBuilder();
    out.append(String.format("%nN = %d: %s%n", f.rollouts, summary(f)));
    out.append(String.format("  at rest, %d s, by verb and resource:%n", f.restWindow.toSeconds()));
    f.restCounts
        .byVerbAndResource()
        .forEach((k, v) -> out.append(String.format("    %-44s %d%n", k, v)));
    out.append(
        String.format(
            "  release of %d, %d step transitions, by verb and resource (per transition):%n",
            f.releasing, f.transitions));
    f.releaseCounts
        .byVerbAndResource()
        .forEach(
            (k, v) ->
                out.append(
                    String.format("    %-44s %d (%.2f)%n", k, v, v / (double) f.transitions)));
    return out.toString();
  }

  private static String summary(ScaleFigures f) {
    return String.format(
        "heap %.1f MiB at rest, %.1f MiB releasing; ready in %d ms; lateness p50 %.0f ms,"
            + " p99 %.0f ms, max %.0f ms",
        f.restHeapMiB,
        f.releaseHeapMiB,
        f.ready.toMillis(),
        late(f, 50),
        late(f, 99),
        late(f, 100));
  }

  private static double late(ScaleFigures f, double p) {
    Duration d = f.lateness.percentile(p);
    return d == null ? Double.NaN : d.toMillis();
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static double millis(Duration d) {
    return d.toMillis();
  }
}
