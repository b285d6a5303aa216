package dev.weir.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.GitWriteBackMode;
import dev.weir.api.v1alpha1.GitWriteBackStatus;
import dev.weir.api.v1alpha1.GitWriteBackStatus.Phase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-back with JGit against a real bare repository on the local disk: the commit pushed to
 * the branch (or a branch of its own), restoring the one field; a push refused because someone
 * pushed meanwhile made again on the new head; a field already fixed left without a commit; the
 * same write-back asked for again (a restart before status recorded it) finding its own commit.
 */
class RevertWriterTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);
  static final String PATH = "apps/checkout/rollout.yaml";

  @TempDir Path tmp;
  Path bare;
  String url;

  @BeforeEach
  void aConfigRepositoryDeclaringTheAbortedImage() throws Exception {
    bare = tmp.resolve("config.git");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
    url = bare.toUri().toString();
    commitOnRemote(PATH, RevertEditTest.ROLLOUT, "checkout 2.5.0");
  }

  private RevertRequest request(GitWriteBackMode mode) {
    return RevertEditTest.imageOfApp(
            "registry.example/checkout:2.5.0", "registry.example/checkout:2.4.1")
        .to(url, mode);
  }

  @Test
  void theRevertIsCommittedToTheBranchWithItsEvidence() throws Exception {
    var outcome =
        new RevertWriter(Duration.ofSeconds(10), CLOCK).write(request(GitWriteBackMode.commit));

    assertThat(outcome.phase).as(outcome.message).isEqualTo(Phase.Committed);
    var head = log("main").get(0);
    assertThat(outcome.commit).isEqualTo(head.name());
    assertThat(outcome.branch).isEqualTo("main");
    assertThat(outcome.message)
        .isEqualTo(
            "commit "
                + head.name().substring(0, 12)
                + " pushed to main restores spec.template.spec.containers[name=app].image in "
                + PATH
                + " to registry.example/checkout:2.4.1");
    assertThat(head.getFullMessage())
        .startsWith(
            "Revert checkout to registry.example/checkout:2.4.1: revision 7f9c5d8b4 aborted")
        .contains("metric success-rate = 0.81");
    assertThat(head.getAuthorIdent().getName()).isEqualTo("Weir");
    assertThat(fileOn("main", PATH))
        .isEqualTo(
            RevertEditTest.ROLLOUT.replace(
                "registry.example/checkout:2.5.0", "registry.example/checkout:2.4.1"));
  }

  @Test
  void askedAgainAfterARestartItFindsItsOwnCommitAndWritesNoSecond() throws Exception {
    var writer = new RevertWriter(Duration.ofSeconds(10), CLOCK);
    var first = writer.write(request(GitWriteBackMode.commit));
    commitOnRemote("README.md", "an unrelated change\n", "docs");

    var again = writer.write(request(GitWriteBackMode.commit));

    assertThat(again.phase).isEqualTo(Phase.Committed);
    assertThat(again.commit).isEqualTo(first.commit);
    assertThat(log("main")).hasSize(3);
  }

  @Test
  void aPushRefusedBecauseTheBranchMovedIsMadeAgainOnTheNewHead() throws Exception {
    var raced = new AtomicBoolean();
    var writer =
        new RevertWriter(
            Duration.ofSeconds(10),
            CLOCK,
            () -> {
              if (raced.compareAndSet(false, true)) {
                commitOnRemote("README.md", "pushed meanwhile\n", "someone else's commit");
              }
            });

    var outcome = writer.write(request(GitWriteBackMode.commit));

    assertThat(outcome.phase).as(outcome.message).isEqualTo(Phase.Committed);
    var log = log("main");
    assertThat(log)
        .extracting(RevCommit::getShortMessage)
        .containsExactly(
            "Revert checkout to registry.example/checkout:2.4.1: revision 7f9c5d8b4 aborted",
            "someone else's commit",
            "checkout 2.5.0");
    assertThat(fileOn("main", "README.md")).isEqualTo("pushed meanwhile\n");
  }

  @Test
  void aFieldSomeoneAlreadyFixedGetsNoCommitAndStatusSaysSo() throws Exception {
    commitOnRemote(
        PATH,
        RevertEditTest.ROLLOUT.replace(
            "registry.example/checkout:2.5.0", "registry.example/checkout:2.4.1"),
        "revert by hand");

    var outcome =
        new RevertWriter(Duration.ofSeconds(10), CLOCK).write(request(GitWriteBackMode.commit));

    assertThat(outcome.phase).isEqualTo(Phase.Unchanged);
    assertThat(outcome.message).contains("already holds the stable value");
    assertThat(log("main")).hasSize(2);
  }

  @Test
  void inBranchModeTheRevertGoesToABranchOfItsOwnAndTheSyncedBranchStays() throws Exception {
    var writer = new RevertWriter(Duration.ofSeconds(10), CLOCK);

    var outcome = writer.write(request(GitWriteBackMode.branch));

    assertThat(outcome.phase).as(outcome.message).isEqualTo(Phase.Committed);
    assertThat(outcome.branch).isEqualTo("weir/revert-checkout-7f9c5d8b4");
    assertThat(log("main")).hasSize(1);
    assertThat(log("weir/revert-checkout-7f9c5d8b4").get(0).name()).isEqualTo(outcome.commit);
    assertThat(writer.write(request(GitWriteBackMode.branch)).commit).isEqualTo(outcome.commit);
  }

  @Test
  void aFileThatIsNotThereFailsWithItsPath() {
    var outcome =
        new RevertWriter(Duration.ofSeconds(10), CLOCK)
            .write(
                new RevertRequest(
                    "shop/checkout",
                    "7f9c5d8b4",
                    url,
                    "main",
                    "apps/missing.yaml",
                    java.util.Map.of(),
                    "image.tag",
                    "2.5.0",
                    "2.4.1",
                    "Aborted on request",
                    GitWriteBackMode.commit,
                    java.util.Optional.empty()));

    assertThat(outcome.phase).isEqualTo(Phase.Failed);
    assertThat(outcome.message).isEqualTo("apps/missing.yaml is not a file of branch main");
  }

  @Test
  void aBranchThatDoesNotExistFails() {
    var request =
        new RevertRequest(
            "shop/checkout",
            "7f9c5d8b4",
            url,
            "production",
            PATH,
            java.util.Map.of(),
            "image.tag",
            "2.5.0",
            "2.4.1",
            "Aborted on request",
            GitWriteBackMode.commit,
            java.util.Optional.empty());

    GitWriteBackStatus outcome = new RevertWriter(Duration.ofSeconds(10), CLOCK).write(request);

    assertThat(outcome.phase).isEqualTo(Phase.Failed);
    assertThat(outcome.message).contains("production");
  }

  // ---------------------------------------------------------------------------------------------

  /** Someone else's commit of one file, pushed to main. */
  private void commitOnRemote(String path, String text, String message) {
    try {
      Path work = Files.createTempDirectory(tmp, "someone-");
      try (Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
        git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(url)).call();
        boolean empty = git.lsRemote().setRemote("origin").call().isEmpty();
        if (!empty) {
          git.fetch()
              .setRemote("origin")
              .setRefSpecs(new RefSpec("+refs/heads/main:refs/remotes/origin/main"))
              .call();
          git.reset()
              .setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD)
              .setRef("origin/main")
              .call();
        }
        Path file = work.resolve(path);
        Files.createDirectories(file.getParent() == null ? work : file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        git.add().addFilepattern(path).call();
        git.commit()
            .setMessage(message)
            .setSign(false)
            .setAuthor("Someone", "someone@example.org")
            .setCommitter("Someone", "someone@example.org")
            .call();
        git.push().setRemote("origin").setRefSpecs(new RefSpec("HEAD:refs/heads/main")).call();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private List<RevCommit> log(String branch) throws Exception {
    try (Git git = Git.open(bare.toFile())) {
      var commits = new ArrayList<RevCommit>();
      git.log()
          .add(git.getRepository().resolve(Constants.R_HEADS + branch))
          .call()
          .forEach(commits::add);
      return commits;
    }
  }

  private String fileOn(String branch, String path) throws IOException {
    try (Git git = Git.open(bare.toFile())) {
      var repo = git.getRepository();
      var tree = repo.parseCommit(repo.resolve(Constants.R_HEADS + branch)).getTree();
      try (var walk = org.eclipse.jgit.treewalk.TreeWalk.forPath(repo, path, tree)) {
        return new String(repo.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
      }
    }
  }
}
