package dev.weir.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.v1alpha1.CommitStatusDestination;
import dev.weir.api.v1alpha1.CommitStatusDestination.Provider;
import dev.weir.api.v1alpha1.NotificationTrigger;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A notice as a commit status on the commit that declared the revision (the rollout's annotation
 * {@code weir.dev/commit}): GitHub's {@code POST /repos/OWNER/REPO/statuses/SHA}, GitLab's {@code
 * POST /projects/ID/statuses/SHA}. Pending while the release runs, success when it is promoted,
 * failure when it is aborted or stuck past its deadline.
 */
final class CommitStatus {

  /** A commit's full or abbreviated SHA: the annotation goes into the URL's path, so no more. */
  private static final Pattern SHA = Pattern.compile("^[0-9a-fA-F]{7,64}$");

  private CommitStatus() {}

  /**
   * Whether a trigger is told as a status. GitLab refuses a status equal to the last one, so it is
   * told only the changes; GitHub also shows each pause and step as a new pending description.
   */
  static boolean tells(CommitStatusDestination status, NotificationTrigger trigger) {
    return switch (trigger) {
      case ReleaseStarted, Promoted, Aborted, ProgressDeadlineExceeded -> true;
      case StepReached, AwaitingPromotion, AnalysisInconclusive ->
          status.provider != Provider.GitLab;
      case RolledBack -> false;
    };
  }

  /** The state a trigger sets, in the provider's words. */
  static String state(Provider provider, NotificationTrigger trigger) {
    return switch (trigger) {
      case Promoted -> "success";
      case Aborted, ProgressDeadlineExceeded -> provider == Provider.GitLab ? "failed" : "failure";
      default -> provider == Provider.GitLab ? "running" : "pending";
    };
  }

  static NoticeRequest build(
      String field, CommitStatusDestination cs, Notice notice, NoticeText text, Credentials c) {
    var token = c.read(field + ".tokenFrom.secretKeyRef", "the token", cs.tokenFrom.secretKeyRef);
    String sha = notice.commit();
    if (sha == null || !SHA.matcher(sha).matches()) {
      c.problem(
          field,
          "the rollout "
              + (sha == null
                  ? "names no commit"
                  : "names a commit that is not a SHA (7 to 64 hexadecimal digits)")
              + ": set its annotation "
              + Notice.COMMIT_ANNOTATION
              + " to the commit that declared the revision");
      return c.request(() -> null);
    }
    String api = cs.api().replaceAll("/+$", "");
    var url =
        c.address(
            field + ".apiUrl",
            cs.provider == Provider.GitLab
                ? api
                    + "/projects/"
                    + URLEncoder.encode(cs.repository, StandardCharsets.UTF_8)
                    + "/statuses/"
                    + sha
                : api + "/repos/" + cs.repository + "/statuses/" + sha);
    var headers = Outgoing.jsonHeaders(notice);
    token.ifPresent(
        t -> {
          if (cs.provider == Provider.GitLab) {
            headers.put("PRIVATE-TOKEN", t.strip());
          } else {
            headers.put("Authorization", "Bearer " + t.strip());
            headers.put("Accept", "application/vnd.github+json");
            headers.put("X-GitHub-Api-Version", "2022-11-28");
          }
        });
    String body = body(cs, notice, text).toString();
    return c.request(() -> new Outgoing(url.orElseThrow(), headers, body));
  }

  static ObjectNode body(CommitStatusDestination cs, Notice notice, NoticeText text) {
    ObjectNode body = Serialization.jsonMapper().createObjectNode();
    body.put("state", state(cs.provider, notice.trigger()));
    String context = cs.context == null ? "weir/" + notice.rollout() : cs.context;
    body.put(cs.provider == Provider.GitLab ? "name" : "context", context);
    // GitHub refuses descriptions longer than 140 characters.
    body.put(
        "description",
        NoticeText.cut(text.happened() + (text.what().isEmpty() ? "" : ": " + text.what()), 140));
    text.dashboard().ifPresent(d -> body.put("target_url", d));
    return body;
  }
}
