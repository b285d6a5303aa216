package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl weir lint --diff} on a real git repository made here with JGit: the config
 * repository of examples/gitops (a Kustomize base and two overlays, an Argo CD Application, a Flux
 * Kustomization) on {@code main}, and a pull request's branch that weakens it. The overlays are
 * built by the real {@code kubectl kustomize} on PATH.
 */
class LintDiffCommandTest {

  @TempDir Path repo;

  Git git;

  record Run(int exitCode, String out, String err) {}

  Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void mainHoldsTheExampleConfigRepository() throws Exception {
    Path example = Path.of("examples/gitops");
    try (Stream<Path> files = Files.walk(example)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = repo.resolve(example.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
    edit("flux/kustomization.yaml", "prune: true", "prune: false");
    git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
    commit("the checkout service's config");
    git.branchCreate().setName("risky").call();
    git.checkout().setName("risky").call();
    edit("base/istio-success-rate.yaml", "value: \"0.99\"", "value: \"0.9\"");
    edit(
        "overlays/production/kustomization.yaml",
        "      - op: add\n        path: /spec/strategy/canary/steps/-\n        value: {pause: {}}\n",
        "");
    Files.writeString(
        repo.resolve("overlays/staging/database.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: database\nstringData:\n"
            + "  password: hunter2\n");
    edit(
        "overlays/staging/kustomization.yaml",
        "  - ../../base\n",
        "  - ../../base\n  - database.yaml\n");
    edit("flux/kustomization.yaml", "prune: false", "prune: true");
    commit("faster releases");
    git.checkout().setName("main").call();
  }

  @AfterEach
  void close() {
    git.close();
  }

  @Test
  void reviewsTheChangeBetweenTwoRevisionsAtTheLinesThatDeclareIt() {
    var run = run("lint", "--diff", "main", "risky", "--repo", repo.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines())
        .containsExactly(
            "base/istio-success-rate.yaml:15: warning: AnalysisTemplate shop/istio-success-rate"
                + " (overlays/production): metric success-rate: successCondition loosened,"
                + " `result[0] >= 0.99` → `result[0] >= 0.9`: a worse canary now passes",
            "base/istio-success-rate.yaml:15: warning: AnalysisTemplate"
                + " shop-staging/istio-success-rate (overlays/staging): metric success-rate:"
                + " successCondition loosened, `result[0] >= 0.99` → `result[0] >= 0.9`: a worse"
                + " canary now passes",
            // The patch that added the gate is gone: shown at the steps it was added to.
            "base/rollout.yaml:61: high: Rollout shop/checkout (overlays/production): a manual"
                + " gate (pause: {}) is removed: the release goes on without waiting for `kubectl"
                + " weir promote`",
            "flux/kustomization.yaml:12: warning: Kustomization flux-system/checkout-production:"
                + " prune is turned on: Flux deletes from the cluster every object that leaves"
                + " this path, a Rollout and its pods included",
            "overlays/staging/database.yaml:5: high: Secret shop-staging/database"
                + " (overlays/staging): the Secret's values (password) are in git in plain text:"
                + " whoever can read the repository can read them; commit a SealedSecret or a"
                + " SOPS-encrypted file, or use an external secret store",
            "5 risky changes from main ("
                + abbreviated("main")
                + ") to risky ("
                + abbreviated("risky")
                + "): 2 high, 3 warnings, 0 info");
    assertThat(run.exitCode()).isEqualTo(ExitCode.RISKY);
  }

  @Test
  void reviewsTheWorkingTreeAsGitHubAnnotationsAndFailsOnlyAtTheSeverityAsked() throws Exception {
    edit("overlays/staging/kustomization.yaml", "value: 2\n", "value: 0\n");

    var warnings =
        run(
            "lint",
            "--diff",
            "main",
            "-o",
            "github",
            "--fail-on",
            "warning",
            "--repo",
            repo.toString());
    var none =
        run(
            "lint",
            "--diff",
            "main",
            "-o",
            "github",
            "--fail-on",
            "none",
            "--repo",
            repo.toString());

    // A JSON patch of the overlay names the field: the finding is at the patch's line.
    assertThat(warnings.out())
        .isEqualTo(
            "::error file=overlays/staging/kustomization.yaml,line=15,title=Rollout"
                + " shop-staging/checkout (overlays/staging)::replicas set to 0 (was 2):"
                + " every pod stops\n"
                + "1 risky change from main ("
                + abbreviated("main")
                + ") to the working tree: 1 high, 0 warnings, 0 info\n");
    assertThat(warnings.exitCode()).isEqualTo(ExitCode.RISKY);
    assertThat(none.exitCode()).isEqualTo(ExitCode.OK);
  }

  @Test
  void anOverlayThatNoLongerBuildsIsHighAndTheScopeIsWhatFilenameNames() throws Exception {
    edit(
        "overlays/staging/kustomization.yaml",
        "  - ../../base\n",
        "  - ../../base\n  - gone.yaml\n");
    edit("overlays/production/kustomization.yaml", "value: 10\n", "value: 0\n");

    var run = run("lint", "--diff", "main", "-f", "overlays/staging", "--repo", repo.toString());

    assertThat(run.out())
        .startsWith(
            "overlays/staging/kustomization.yaml:1: high: the Kustomize overlay overlays/staging no"
                + " longer builds, so nothing in it can be applied: ")
        .contains(
            "accumulating resources from 'gone.yaml': evalsymlink failure on"
                + " 'overlays/staging/gone.yaml' : lstat overlays/staging/gone.yaml: no such file"
                + " or directory")
        .doesNotContain("overlays/production")
        .endsWith(" to the working tree: 1 high, 0 warnings, 0 info\n");
    assertThat(run.exitCode()).isEqualTo(ExitCode.RISKY);
  }

  @Test
  void reviewsTwoFoldersAsJson(@TempDir Path folders) throws Exception {
    Path before = folders.resolve("before");
    Path after = folders.resolve("after");
    edit("argocd/application.yaml", "{prune: true, selfHeal: true}", "{}");
    copyWorkingTree(before);
    edit("argocd/application.yaml", "automated: {}", "automated: {prune: true}");
    edit("overlays/staging/kustomization.yaml", "value: 2\n", "value: 0\n");
    copyWorkingTree(after);

    var run =
        run(
            "lint",
            "--diff",
            before.toString(),
            after.toString(),
            "-o",
            "json",
            "--fail-on",
            "high");

    var report = Json.parse(run.out());
    assertThat(report.path("base").asText()).isEqualTo(before.toString());
    assertThat(report.path("failed").asBoolean()).isTrue();
    assertThat(report.path("counts").toString()).isEqualTo("{\"high\":1,\"warning\":1,\"info\":0}");
    var prune = report.path("risks").get(0);
    assertThat(prune.path("file").asText()).isEqualTo(after + "/argocd/application.yaml");
    assertThat(prune.path("line").asInt()).isEqualTo(21);
    assertThat(prune.path("severity").asText()).isEqualTo("warning");
    assertThat(prune.path("object").asText()).isEqualTo("Application argocd/checkout-production");
    assertThat(prune.path("build").asText()).isEmpty();
    assertThat(prune.path("field").asText()).isEqualTo("spec.syncPolicy.automated.prune");
    assertThat(prune.path("message").asText()).startsWith("automated prune is turned on");
    var replicas = report.path("risks").get(1);
    assertThat(replicas.path("file").asText())
        .isEqualTo(after + "/overlays/staging/kustomization.yaml");
    assertThat(replicas.path("build").asText()).isEqualTo("overlays/staging");
    assertThat(replicas.path("severity").asText()).isEqualTo("high");
    assertThat(run.exitCode()).isEqualTo(ExitCode.RISKY);
  }

  private void copyWorkingTree(Path to) throws IOException {
    try (Stream<Path> files = Files.walk(repo)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path relative = repo.relativize(file);
        if (!relative.startsWith(".git")) {
          Files.createDirectories(to.resolve(relative).getParent());
          Files.copy(file, to.resolve(relative));
        }
      }
    }
  }

  @Test
  void whatIsNeitherARevisionNorAFolderIsAnError() {
    var run = run("lint", "--diff", "mian", "--repo", repo.toString());

    assertThat(run.err())
        .isEqualTo("error: \"mian\" is neither a revision of the repository nor a folder\n");
    assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
  }

  private String abbreviated(String branch) {
    try {
      return git.getRepository().resolve(branch).abbreviate(7).name();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void edit(String file, String from, String to) throws IOException {
    Path path = repo.resolve(file);
    String text = Files.readString(path);
    assertThat(text).contains(from);
    Files.writeString(path, text.replace(from, to));
  }

  private void commit(String message) throws Exception {
    git.add().addFilepattern(".").call();
    git.commit()
        .setMessage(message)
        .setAuthor("Dev", "dev@example.com")
        .setCommitter("Dev", "dev@example.com")
        .setSign(false)
        .call();
  }
}
