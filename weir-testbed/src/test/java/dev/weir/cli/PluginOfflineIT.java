package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.KubectlWeir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl weir} does without a cluster, through the real kubectl: version, help and
 * usage errors, lint, shell completion; and the packaged plugin as Krew installs it.
 */
class PluginOfflineIT {

  final KubectlWeir kubectl = new KubectlWeir(null);

  @Test
  void versionNamesThePluginTheApiAndTheJava() {
    var result = kubectl.weir("version");

    assertThat(result.exitCode()).as(result.both()).isZero();
    assertThat(result.out()).matches("kubectl-weir \\S+ \\(weir\\.dev/v1alpha1, Java \\S+\\)\n");
  }

  @Test
  void withoutACommandItListsTheCommands() {
    var result = kubectl.weir();

    assertThat(result.exitCode()).as(result.both()).isZero();
    assertThat(result.out()).startsWith("Usage: kubectl weir ");
    for (String command :
        new String[] {
          "get",
          "list",
          "promote",
          "abort",
          "retry",
          "pause",
          "resume",
          "undo",
          "set",
          "restart",
          "status",
          "lint",
          "version",
          "completion"
        }) {
      assertThat(result.out()).containsPattern("(?m)^  " + command + " ");
    }
    assertThat(result.out()).doesNotContain("__complete");
  }

  @Test
  void usageErrorsReadLikeKubectls() {
    var typo = kubectl.weir("promot", "checkout");
    var missing = kubectl.weir("promote");
    var format = kubectl.weir("get", "rollout", "checkout", "-o", "xml");

    assertThat(typo.exitCode()).isEqualTo(1);
    assertThat(typo.err())
        .startsWith(
            "error: unknown command \"promot\" for \"kubectl weir\"\n\nDid you mean this?\n"
                + "\tpromote\n")
        .endsWith("See 'kubectl weir --help' for usage.\n");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err())
        .isEqualTo(
            "error: Missing required parameter: 'NAME'\n"
                + "See 'kubectl weir promote --help' for usage.\n");
    assertThat(format.exitCode()).isEqualTo(1);
    assertThat(format.err())
        .contains("allowed formats are: json, yaml")
        .endsWith("See 'kubectl weir get rollout --help' for usage.\n");
  }

  @Test
  void lintPassesTheExamples() {
    var result = kubectl.weir("lint", "-f", "examples/");

    assertThat(result.exitCode()).as(result.both()).isZero();
    assertThat(result.out())
        .contains("examples/canary-istio/rollout.yaml:2: Rollout shop/checkout: valid\n")
        .doesNotContain(": error:");
  }

  @Test
  void lintSaysWhereEachProblemIs() throws IOException {
    Path manifest = Files.createTempFile("rollout-", ".yaml");
    Files.writeString(
        manifest,
        String.join(
            "\n",
            "apiVersion: weir.dev/v1alpha1",
            "kind: Rollout",
            "metadata:",
            "  name: checkout",
            "  namespace: shop",
            "spec:",
            "  replicas: 5",
            "  selector:",
            "    matchLabels: {app: checkout}",
            "  template:",
            "    metadata:",
            "      labels: {app: checkout}",
            "    spec:",
            "      containers:",
            "        - name: app",
            "          image: registry.example/checkout:2.4.1",
            "  strategy:",
            "    canary:",
            "      steps:",
            "        - setWieght: 10",
            "        - setWeight: 120",
            "        - pause: {duration: soon}",
            "        - setWeight: 50",
            "          pause: {}",
            ""));

    var result = kubectl.weir("lint", "-f", manifest.toString());

    String file = manifest.toString();
    assertThat(result.exitCode()).as(result.both()).isEqualTo(1);
    assertThat(result.out())
        .contains(
            file
                + ":20:11: error: spec.strategy.canary.steps[0].setWieght: unknown field"
                + " \"setWieght\": the API server drops it (did you mean \"setWeight\"?)\n",
            file
                + ":21:22: error: spec.strategy.canary.steps[1].setWeight: must be at most 100,"
                + " was 120\n",
            file
                + ":22:29: error: spec.strategy.canary.steps[2].pause.duration: 'soon' is not a"
                + " duration (use seconds, or a number with h, m, s or ms: 1m30s)\n",
            file
                + ":23:11: error: spec.strategy.canary.steps[3]: exactly one of setWeight, pause,"
                + " setCanaryScale, analysis, setHeaderRoute, setMirrorRoute must be set\n",
            file + ":1: Rollout shop/checkout: ");
  }

  @Test
  void lintDiffReviewsAPullRequestOfARealGitRepository() throws IOException {
    Path repo = Files.createTempDirectory("config-repo-");
    String commit = "git -c user.name=Dev -c user.email=dev@example.com commit -q";
    var made =
        kubectl.shell(
            String.join(
                " && ",
                "cd " + repo,
                "git init -q -b main",
                "cp -r " + Path.of("examples/gitops").toAbsolutePath() + "/. .",
                "git add -A",
                commit + " -m 'the config of checkout'",
                "git checkout -q -b no-staging",
                "sed -i 's/value: 2$/value: 0/' overlays/staging/kustomization.yaml",
                commit + " -am 'no staging'"));
    assertThat(made.exitCode()).as(made.both()).isZero();

    // In the repository's folder, as a CI job runs it; Kustomize is kubectl's own.
    var review =
        kubectl.shell("cd " + repo + " && kubectl weir lint --diff main no-staging -o github");

    assertThat(review.err()).isEmpty();
    assertThat(review.out())
        .matches(
            "::error file=overlays/staging/kustomization.yaml,line=15,title=Rollout"
                + " shop-staging/checkout \\(overlays/staging\\)::replicas set to 0 \\(was 2\\):"
                + " every pod stops\n"
                + "1 risky change from main \\(\\w{7}\\) to no-staging \\(\\w{7}\\): 1 high, 0"
                + " warnings, 0 info\n");
    assertThat(review.exitCode()).isEqualTo(2);
  }

  @Test
  void kubectlCompletesTheCommandsThroughThePlugin() {
    var commands = kubectl.kubectl("__complete", "weir", "pro");
    var nouns = kubectl.kubectl("__complete", "weir", "get", "");
    var flags = kubectl.kubectl("__complete", "weir", "promote", "--f");

    assertThat(commands.exitCode()).as(commands.both()).isZero();
    assertThat(commands.out().lines()).anyMatch(l -> l.startsWith("promote\t")).contains(":4");
    assertThat(nouns.out().lines()).anyMatch(l -> l.startsWith("rollout\t"));
    assertThat(flags.out().lines()).anyMatch(l -> l.startsWith("--full\t"));
  }

  @Test
  void bashCompletesKubectlWeirWithTheScriptOfCompletion() {
    var result =
        kubectl.shell(
            "source <(kubectl weir completion bash)"
                + "; COMP_WORDS=(kubectl-weir pro); COMP_CWORD=1; _kubectl_weir"
                + "; printf '%s\\n' \"${COMPREPLY[@]}\"");

    assertThat(result.exitCode()).as(result.both()).isZero();
    assertThat(result.out()).isEqualTo("promote\n");
  }

  @Test
  void zshCompletesKubectlWeirWithTheScriptOfCompletion() {
    // zsh's completion widgets need a terminal; _describe is stood in for by one that prints.
    var result =
        kubectl.shell(
            "zsh -fc 'compdef() { :; }; _describe() { print -l -- \"${(@P)4}\"; }"
                + "; source <(kubectl weir completion zsh)"
                + "; words=(kubectl-weir re); CURRENT=2; _kubectl_weir'");

    assertThat(result.exitCode()).as(result.both()).isZero();
    assertThat(result.out().lines())
        .anyMatch(l -> l.startsWith("restart:"))
        .anyMatch(l -> l.startsWith("resume:"))
        .anyMatch(l -> l.startsWith("retry:"));
  }

  @Test
  void theKrewArchiveHoldsAWorkingPluginAndTheManifestItsChecksum() throws Exception {
    Path target = KubectlWeir.pluginDir().getParent();
    Path archive;
    try (var files = Files.list(target)) {
      archive =
          files
              .filter(p -> p.getFileName().toString().matches("kubectl-weir-.*\\.tar\\.gz"))
              .findFirst()
              .orElseThrow();
    }
    Map<String, Object> manifest;
    try (InputStream in = Files.newInputStream(target.resolve("krew/weir.yaml"))) {
      manifest = new org.yaml.snakeyaml.Yaml().load(in);
    }
    @SuppressWarnings("unchecked")
    var platform =
        ((java.util.List<Map<String, Object>>)
                ((Map<String, Object>) manifest.get("spec")).get("platforms"))
            .get(0);
    String sha256 =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(archive)));

    assertThat(manifest).containsEntry("kind", "Plugin");
    assertThat(platform).containsEntry("sha256", sha256).containsEntry("bin", "kubectl-weir");

    // Unpacked where Krew would put it, and run through a link as Krew's bin/ does.
    Path store = Files.createTempDirectory("krew-store-");
    var unpacked = kubectl.shell("tar -xzf " + archive + " -C " + store);
    assertThat(unpacked.exitCode()).as(unpacked.both()).isZero();
    Path bin = Files.createDirectories(store.resolve("bin"));
    Files.createSymbolicLink(
        bin.resolve("kubectl-weir"), store.resolve("kubectl-weir/kubectl-weir"));
    var version = kubectl.shell("PATH=" + bin + ":$PATH kubectl weir version");
    assertThat(version.exitCode()).as(version.both()).isZero();
    assertThat(version.out()).startsWith("kubectl-weir ");
    try (var jars = Files.list(store.resolve("kubectl-weir/lib"))) {
      assertThat(jars.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("kubernetes-httpclient-jdk-"))
          .noneMatch(n -> n.startsWith("kubernetes-httpclient-vertx-"))
          .noneMatch(n -> n.startsWith("quarkus-"))
          .anyMatch(n -> n.endsWith(".jsa"));
    }
  }
}
