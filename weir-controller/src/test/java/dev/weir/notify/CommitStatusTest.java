package dev.weir.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.CommitStatusDestination;
import dev.weir.api.v1alpha1.NotificationTrigger;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** A notice as a commit status on GitHub and GitLab, on the commit the rollout names. */
class CommitStatusTest {

  private static final String GITHUB =
      """
      provider: GitHub
      repository: example/checkout-config
      tokenFrom: {secretKeyRef: {name: git, key: token}}
      """;

  private static final String GITLAB =
      """
      provider: GitLab
      apiUrl: https://gitlab.example/api/v4
      repository: shop/checkout-config
      tokenFrom: {secretKeyRef: {name: git, key: token}}
      context: release/checkout
      """;

  private static NoticeRequest build(String yaml, Notice notice) {
    return CommitStatus.build(
        "spec.destinations[0].commitStatus",
        Serialization.unmarshal(yaml, CommitStatusDestination.class),
        notice,
        NoticeText.of(notice, Notices.DASHBOARD),
        Notices.credentials());
  }

  @Test
  void gitHubIsToldPendingWhileTheReleaseRunsWithTheBearerToken() throws Exception {
    var request =
        build(GITHUB, Notices.of(NotificationTrigger.ReleaseStarted, "v2 started", "9b2e4f1c"))
            .request()
            .orElseThrow();

    assertThat(request.url())
        .hasToString("https://api.github.com/repos/example/checkout-config/statuses/9b2e4f1c");
    assertThat(request.headers())
        .containsEntry("Authorization", "Bearer ghp_s3cr3t")
        .containsEntry("Accept", "application/vnd.github+json");
    assertThat(Notices.json(request).toString())
        .isEqualTo(
            "{\"state\":\"pending\",\"context\":\"weir/checkout\",\"description\":\"release of"
                + " 5d8c7b6a9f started: v2 started\",\"target_url\":"
                + "\"https://grafana.example/d/weir-analysis?var-namespace=shop&var-rollout=checkout\"}");
  }

  @Test
  void gitHubIsToldFailureAtAnAbortInAtMost140Characters() throws Exception {
    var body = Notices.json(build(GITHUB, Notices.aborted()).request().orElseThrow());

    assertThat(body.path("state").asText()).isEqualTo("failure");
    assertThat(body.path("description").asText()).hasSizeLessThanOrEqualTo(140);
  }

  @Test
  void gitLabIsToldByProjectPathWithThePrivateToken() throws Exception {
    var request =
        build(GITLAB, Notices.of(NotificationTrigger.Promoted, "stable", "9b2e4f1c"))
            .request()
            .orElseThrow();

    assertThat(request.url())
        .hasToString(
            "https://gitlab.example/api/v4/projects/shop%2Fcheckout-config/statuses/9b2e4f1c");
    assertThat(request.headers())
        .containsEntry("PRIVATE-TOKEN", "ghp_s3cr3t")
        .doesNotContainKey("Authorization");
    var body = Notices.json(request);
    assertThat(body.path("state").asText()).isEqualTo("success");
    assertThat(body.path("name").asText()).isEqualTo("release/checkout");
    assertThat(
            CommitStatus.state(
                CommitStatusDestination.Provider.GitLab, NotificationTrigger.Aborted))
        .isEqualTo("failed");
  }

  @Test
  void gitLabIsToldOnlyChangesOfState() {
    var gitlab = Serialization.unmarshal(GITLAB, CommitStatusDestination.class);
    var github = Serialization.unmarshal(GITHUB, CommitStatusDestination.class);

    assertThat(NotificationTrigger.values())
        .filteredOn(t -> CommitStatus.tells(gitlab, t))
        .containsExactly(
            NotificationTrigger.ReleaseStarted,
            NotificationTrigger.Aborted,
            NotificationTrigger.Promoted,
            NotificationTrigger.ProgressDeadlineExceeded);
    assertThat(CommitStatus.tells(github, NotificationTrigger.AwaitingPromotion)).isTrue();
    assertThat(CommitStatus.tells(github, NotificationTrigger.RolledBack)).isFalse();
  }

  @Test
  void aRolloutWithoutACommitOrWithOneThatIsNoShaIsRefused() {
    for (String commit : new String[] {null, "../../admin"}) {
      var built =
          build(GITHUB, Notices.of(NotificationTrigger.ReleaseStarted, "v2 started", commit));

      assertThat(built.request()).isEmpty();
      assertThat(built.problems())
          .singleElement()
          .extracting(
              SpecProblem::field,
              p ->
                  p.message()
                      .endsWith(
                          "set its annotation weir.dev/commit to the commit that declared the revision"))
          .containsExactly("spec.destinations[0].commitStatus", true);
    }
  }

  @Test
  void theTokenGoesOnlyToAnAllowedApi() {
    var built =
        build(
            GITHUB.replace(
                "provider: GitHub", "provider: GitHub\napiUrl: https://github.evil.example"),
            Notices.aborted());

    assertThat(built.problems())
        .extracting(SpecProblem::field)
        .containsExactly("spec.destinations[0].commitStatus.apiUrl");
    assertThat(built.problems().toString()).doesNotContain("ghp_s3cr3t");
  }
}
