package dev.weir.notify;

import dev.weir.api.validation.NoticeTemplate;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A notice as people read it in a chat, an incident or a commit status: a headline, what happened,
 * the facts of the release, the commands that act on it next, and the link to its measurements.
 * Every chat format is laid out from this one text, so that they all say the same. Pure.
 *
 * @param subject the rollout, e.g. {@code shop/checkout}
 * @param happened e.g. {@code release aborted}
 * @param what the event's message, as the rollout's Event says it
 * @param dashboard the policy's dashboard URL filled in for this rollout, when it has one
 */
public record NoticeText(
    String subject,
    String happened,
    String what,
    List<Line> facts,
    List<Line> commands,
    Optional<String> dashboard) {

  /** A labelled line: a fact of the release or a command. */
  public record Line(String label, String value) {}

  /** The label of the link to the measurements. */
  public static final String MEASUREMENTS = "Measurements";

  public static NoticeText of(Notice notice, String dashboardTemplate) {
    var facts = new ArrayList<Line>();
    facts.add(new Line("Rollout", notice.namespace() + "/" + notice.rollout()));
    facts.add(
        new Line(
            "Revision",
            notice.revision()
                + (notice.commit() == null ? "" : " (commit " + notice.commit() + ")")));
    if (notice.stable() != null && !notice.stable().equals(notice.revision())) {
      facts.add(new Line("Stable", notice.stable()));
    }
    if (notice.steps() > 0) {
      facts.add(new Line("Step", notice.step() + "/" + notice.steps()));
    }
    facts.add(new Line("Canary weight", (notice.weight() == null ? 0 : notice.weight()) + "%"));
    if (notice.phase() != null) {
      facts.add(new Line("Phase", notice.phase()));
    }
    Optional<String> dashboard =
        dashboardTemplate == null || dashboardTemplate.isBlank()
            ? Optional.empty()
            : Optional.of(
                NoticeTemplate.render(
                    dashboardTemplate.strip(),
                    notice.values(),
                    v -> URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return new NoticeText(
        notice.namespace() + "/" + notice.rollout(),
        happened(notice),
        notice.message() == null ? "" : notice.message(),
        List.copyOf(facts),
        commands(notice),
        dashboard);
  }

  private static String happened(Notice notice) {
    return switch (notice.trigger()) {
      case ReleaseStarted -> "release of " + notice.revision() + " started";
      case StepReached -> "canary at " + (notice.weight() == null ? 0 : notice.weight()) + "%";
      case AwaitingPromotion -> "waiting for promotion";
      case AnalysisInconclusive -> "analysis inconclusive, paused";
      case Aborted -> "release aborted";
      case Promoted -> notice.revision() + " promoted";
      case RolledBack -> "rolled back to stable";
      case ProgressDeadlineExceeded -> "progress deadline exceeded";
    };
  }

  /** What a human does next: promote or abort a release under way, retry an aborted one. */
  private static List<Line> commands(Notice notice) {
    var values = notice.values();
    String status = values.get("commands.status");
    return switch (notice.trigger()) {
      case Aborted ->
          List.of(
              new Line(
                  "Retry", "kubectl weir retry " + notice.rollout() + " -n " + notice.namespace()),
              new Line("Status", status));
      case Promoted, RolledBack -> List.of(new Line("Status", status));
      default ->
          List.of(
              new Line("Promote", values.get("commands.promote")),
              new Line("Abort", values.get("commands.abort")),
              new Line("Status", status));
    };
  }

  /** e.g. {@code shop/checkout: release aborted} */
  public String headline() {
    return subject + ": " + happened;
  }

  /** Escapes the three characters that Slack's mrkdwn and Google Chat's card text give meaning. */
  static String escapeMarkup(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** A text no longer than {@code max} characters, an ellipsis where it was cut. */
  static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
