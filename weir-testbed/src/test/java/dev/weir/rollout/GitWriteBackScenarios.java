package dev.weir.rollout;

import static dev.weir.testing.RolloutAssert.assertThatRollout;
import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.analysis.AllowedAddresses;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.GitWriteBack;
import dev.weir.api.v1alpha1.GitWriteBackStatus.Phase;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.gitops.GitOpsSettings;
import dev.weir.gitops.YamlField;
import dev.weir.testing.GitHttpServer;
import dev.weir.testing.GitSync;
import dev.weir.testing.Manifests;
import dev.weir.testing.Tier;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Write-back on abort, in the GitOps loop: the rollout's manifest lives in a repository of a real
 * git server on loopback ({@code git http-backend} behind lighttpd, basic authentication), and a
 * sync applies the repository's file to the API server whenever the branch moves, as Argo CD would.
 * A commit declares v2, whose image fails its analysis (judged by the real Prometheus); Weir
 * aborts, commits the revert of the image, the sync applies it, and the rollout is Healthy on v1
 * with git and the cluster agreeing, v2 never released again. A wrong password ends the write-back
 * in a Failed status and a Warning Event that say so, with no secret in either.
 */
abstract class GitWriteBackScenarios extends MeshStories {

  static final String PATH = "apps/checkout/rollout.yaml";
  static final String USER = "weir";
  static final String PASSWORD = "gh0-t0ken-for-config";
  static final String IMAGE = "spec.template.spec.containers[name=app].image";

  GitHttpServer git;
  String repository;
  GitSync sync;

  GitWriteBackScenarios(Tier tier) {
    super(tier);
  }

  @BeforeEach
  void aGitServerHoldingTheConfigRepository() {
    git = GitHttpServer.start(USER, PASSWORD);
    closeables.add(git);
    repository = git.repository("config");
    gitops =
        new GitOpsSettings(AllowedAddresses.of(List.of(git.address())), Duration.ofSeconds(20));
  }

  @Override
  Rollout firstRollout() {
    var rollout = Manifests.quickAnalysisCanary(namespace, "5s");
    var writeBack = new GitWriteBack();
    writeBack.repoURL = repository;
    writeBack.branch = "main";
    writeBack.path = PATH;
    writeBack.credentialsSecret = "git-credentials";
    rollout.getSpec().gitWriteBack = writeBack;
    return rollout;
  }

  @Override
  List<String> exampleTraffic() {
    return List.of(
        "examples/canary-istio/services.yaml", "examples/canary-istio/virtualservice.yaml");
  }

  /** The manifest as the config repository holds it, with a comment a revert must keep. */
  String manifestOfV1() {
    return "# checkout: the image is bumped by CI; Weir reverts an aborted one.\n"
        + Serialization.asYaml(firstRollout()).replaceFirst("^---\n", "");
  }

  /** The Secret the write-back authenticates with, opted in as docs/security.md says. */
  void givenCredentials(String password) {
    client()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("git-credentials")
                .withNamespace(namespace)
                .addToLabels(
                    WellKnownNames.ANALYSIS_SECRET_LABEL, WellKnownNames.ANALYSIS_SECRET_OPT_IN)
                .endMetadata()
                .addToStringData("username", USER)
                .addToStringData("password", password)
                .build())
        .create();
  }

  /** Given v1 in git, synced and healthy; the sync running. */
  String givenV1InGitSynced(String password) {
    Manifests.applyNamespace(client(), namespace);
    givenCredentials(password);
    String first = git.push(repository, Map.of(PATH, manifestOfV1()), "checkout 2.4.1");
    givenStableV1(BUSY);
    sync = GitSync.start(client(), namespace, repository, "main", PATH, USER, PASSWORD);
    closeables.add(sync);
    await("the sync applied the first commit")
        .atMost(Duration.ofSeconds(30))
        .until(() -> sync.synced().contains(first));
    return first;
  }

  /** When a commit declares v2, whose image answers 20 % of requests with a 500. */
  String whenACommitDeclaresAFailingV2(String v1) {
    mesh.answerForImage(V2, 0.2);
    String text =
        YamlField.find(manifestOfV1(), Map.of("kind", "Rollout"), IMAGE)
            .orElseThrow()
            .replacedWith(V2);
    git.push(repository, Map.of(PATH, text), "checkout 2.5.0");
    // Read where it is seen: the abort, the revert and its sync may follow within a second.
    var declared = new AtomicReference<String>();
    checkout.awaitStatus(
        "v2 synced and released",
        s -> {
          declared.set(s.currentPodHash);
          return !v1.equals(s.currentPodHash);
        });
    return declared.get();
  }

  List<AnalysisRun> analysisRuns() {
    return client().resources(AnalysisRun.class).inNamespace(namespace).list().getItems();
  }

  @Test
  void anAbortedRevisionIsRevertedInGitTheSyncAppliesItAndV2IsNeverReleasedAgain()
      throws IOException {
    givenV1InGitSynced(PASSWORD);
    String v1 = checkout.status().stableRS;
    String v2 = whenACommitDeclaresAFailingV2(v1);

    awaitRollout(
        checkout,
        "v2 aborted, its revert committed, synced: Healthy on v1",
        // The sync may apply the revert before the reconcile that records the push tells it.
        r ->
            r.recordedInOrder("Aborted", "RolledBack")
                .recorded("GitWriteBackCommitted")
                .isHealthyOn(v1));

    var aborted = checkout.status().abortedRevisions.get(0);
    assertThat(aborted.podTemplateHash).isEqualTo(v2);
    var writeBack = aborted.writeBack;
    assertThat(writeBack.phase).as(writeBack.message).isEqualTo(Phase.Committed);
    assertThat(writeBack.branch).isEqualTo("main");
    RevCommit head = head();
    assertThat(writeBack.commit).isEqualTo(head.name());
    assertThat(head.getAuthorIdent().getName()).isEqualTo("Weir");
    assertThat(head.getFullMessage())
        .startsWith("Revert checkout to registry.example/checkout:2.4.1: revision " + v2)
        .contains("Rollout " + namespace + "/checkout (" + V2 + ")")
        .contains("metric " + aborted.metric + " = " + aborted.value)
        .contains("Weir-Aborted-Revision: " + v2);
    // Git and the cluster agree: the file is v1's again, byte for byte, comment kept, and the
    // sync applied that commit.
    assertThat(fileAt(head)).isEqualTo(manifestOfV1());
    assertThat(sync.synced()).last().isEqualTo(head.name());
    assertThat(checkout.rollout().getSpec().template.getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.example/checkout:2.4.1");
    assertThatRollout(checkout)
        .hasStable(v1)
        .withCanaryWeight(0)
        .recordedOnce("NewRevision")
        .recordedOnce("GitWriteBackCommitted")
        .remembersAborted(v2, "AnalysisFailed");
    int runs = analysisRuns().size();

    // Weir restarted: the recorded write-back is not made again, and nothing of v2 starts.
    restartWeir();
    awaitRollout(checkout, "v1 still healthy after a restart", r -> r.isHealthyOn(v1));
    assertThat(head().name()).isEqualTo(writeBack.commit);
    assertThatRollout(checkout).recordedOnce("NewRevision").recordedOnce("GitWriteBackCommitted");
    assertThat(analysisRuns()).hasSize(runs);
    assertThat(Serialization.asJson(checkout.status())).doesNotContain(PASSWORD);
  }

  @Test
  void aWrongPasswordIsAFailedWriteBackThatSaysSoWithoutTheSecret() throws IOException {
    String wrong = "expired-t0ken-4711";
    givenV1InGitSynced(wrong);
    String v1 = checkout.status().stableRS;
    String v2 = whenACommitDeclaresAFailingV2(v1);
    String v2Commit = head().name();

    awaitRollout(
        checkout,
        "v2 aborted, its write-back failed",
        r -> r.isAbortedBackTo(v1).recordedInOrder("Aborted", "GitWriteBackFailed"));

    var writeBack = checkout.status().abortedRevisions.get(0).writeBack;
    assertThat(writeBack.phase).isEqualTo(Phase.Failed);
    assertThat(writeBack.message)
        .contains(repository)
        .contains(
            "authentication failed with the credentials of"
                + " spec.gitWriteBack.credentialsSecret")
        .doesNotContain(wrong);
    assertThat(head().name()).as("nothing pushed").isEqualTo(v2Commit);
    assertThat(Serialization.asJson(checkout.status())).doesNotContain(wrong);
    assertThat(
            client().v1().events().inNamespace(namespace).list().getItems().stream()
                .map(e -> e.getMessage())
                .toList())
        .anyMatch(m -> m.contains("authentication failed"))
        .noneMatch(m -> m.contains(wrong));
    assertThatRollout(checkout).declares(v2).recordedOnce("GitWriteBackFailed");
  }

  @Test
  void aSecretNotOptedInAndARepositoryNotAllowedAreAnInvalidSpecNamingTheirFieldsUntilFixed() {
    Manifests.applyNamespace(client(), namespace);
    givenCredentials(PASSWORD);
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    client()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("other-credentials")
                .withNamespace(namespace)
                .endMetadata()
                .addToStringData("password", PASSWORD)
                .build())
        .create();

    checkout.edit(
        r -> {
          r.getSpec().gitWriteBack.credentialsSecret = "other-credentials";
          r.getSpec().gitWriteBack.repoURL = "http://127.0.0.2:9/git/config.git";
          return r;
        });

    var invalid =
        checkout.awaitStatus(
            "InvalidSpec naming both fields", s -> s.message != null && s.message.contains("git"));
    assertThat(invalid.message)
        .contains(
            "spec.gitWriteBack.repoURL: http://127.0.0.2:9/git/config.git is not an allowed git"
                + " address (weir.gitops.allowed-addresses: ["
                + git.address()
                + "])")
        .contains(
            "spec.gitWriteBack.credentialsSecret: Secret "
                + namespace
                + "/other-credentials does not exist or has not opted in (label it"
                + " weir.dev/analysis-secret=true)");
    assertThat(checkout.condition("InvalidSpec")).isTrue();
    assertThat(invalid.stableRS).isEqualTo(v1);

    checkout.edit(
        r -> {
          r.getSpec().gitWriteBack.repoURL = repository;
          return r;
        });
    checkout.awaitStatus(
        "only the Secret still at fault",
        s -> s.message != null && !s.message.contains("repoURL") && s.message.contains("Secret"));
    client()
        .secrets()
        .inNamespace(namespace)
        .withName("other-credentials")
        .edit(
            secret -> {
              secret
                  .getMetadata()
                  .setLabels(
                      Map.of(
                          WellKnownNames.ANALYSIS_SECRET_LABEL,
                          WellKnownNames.ANALYSIS_SECRET_OPT_IN));
              return secret;
            });
    awaitRollout(checkout, "labelled: valid again, on v1", r -> r.isHealthyOn(v1));
  }

  private RevCommit head() throws IOException {
    try (var repo = git.open("config")) {
      var r = repo.getRepository();
      return r.parseCommit(r.resolve(Constants.R_HEADS + "main"));
    }
  }

  private String fileAt(RevCommit commit) throws IOException {
    try (var repo = git.open("config")) {
      var r = repo.getRepository();
      try (var walk = TreeWalk.forPath(r, PATH, commit.getTree())) {
        return new String(r.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
      }
    }
  }
}
