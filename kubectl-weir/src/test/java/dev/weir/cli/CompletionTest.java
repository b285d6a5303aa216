package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What completes where: commands, nouns, flags, and names from the cluster. */
class CompletionTest {

  /** A cluster with two rollouts per namespace, which records the flags it was asked with. */
  static final class FakeCluster implements Completion.Lookup {
    final List<Map<String, String>> asked = new ArrayList<>();

    @Override
    public List<String> rollouts(Map<String, String> flags) {
      asked.add(flags);
      String ns = flags.getOrDefault("--namespace", "default");
      return List.of(ns + "-checkout", ns + "-cart");
    }

    @Override
    public List<String> namespaces(Map<String, String> flags) {
      return List.of("shop", "system");
    }

    @Override
    public List<String> contexts(Map<String, String> flags) {
      return List.of("dev", "prod");
    }
  }

  final FakeCluster cluster = new FakeCluster();

  Completion.Candidates complete(String... words) {
    return Completion.complete(
        WeirCommand.commandLine(null).getCommandSpec(), List.of(words), cluster);
  }

  static List<String> names(Completion.Candidates candidates) {
    return candidates.lines().stream().map(l -> l.split("\t")[0]).toList();
  }

  @Test
  void commandsByPrefixWithTheirDescriptions() {
    var candidates = complete("re");

    assertThat(names(candidates)).containsExactly("retry", "resume", "restart");
    assertThat(candidates.lines()).allMatch(l -> l.contains("\t"));
    assertThat(candidates.directive()).isEqualTo(Completion.NO_FILE_COMPLETION);
    assertThat(candidates.print()).endsWith("\n:4\n");
    assertThat(names(complete(""))).doesNotContain("__complete").contains("get", "lint", "convert");
  }

  @Test
  void nounsThenRolloutNamesOfTheNamespaceGiven() {
    assertThat(names(complete("get", ""))).containsExactly("rollout");
    assertThat(names(complete("get", "rollout", "")))
        .containsExactly("default-checkout", "default-cart");
    assertThat(names(complete("promote", "-n", "shop", "shop-ch")))
        .containsExactly("shop-checkout");
    assertThat(names(complete("promote", "--namespace=shop", "--context", "prod", "")))
        .containsExactly("shop-checkout", "shop-cart");
    assertThat(cluster.asked.get(cluster.asked.size() - 1))
        .containsEntry("--namespace", "shop")
        .containsEntry("--context", "prod");
    assertThat(names(complete("promote", "checkout", ""))).isEmpty();
  }

  @Test
  void flagsAndTheirValues() {
    assertThat(names(complete("promote", "--f"))).containsExactly("--full");
    assertThat(names(complete("get", "rollout", "x", "--o"))).containsExactly("--output");
    assertThat(names(complete("get", "rollout", "x", "-o", ""))).containsExactly("json", "yaml");
    assertThat(names(complete("status", "x", "-n", ""))).containsExactly("shop", "system");
    assertThat(names(complete("list", "rollouts", "--context", "p"))).containsExactly("prod");
    var files = complete("lint", "-f", "");
    assertThat(files.lines()).isEmpty();
    assertThat(files.directive()).isEqualTo(Completion.DEFAULT);
    assertThat(complete("convert", "-f", "").directive()).isEqualTo(Completion.DEFAULT);
    assertThat(names(complete("convert", "-f", "rollout.yaml", "--s"))).containsExactly("--strict");
    assertThat(names(complete("convert", "-f", "rollout.yaml", "-o", "")))
        .containsExactly("json", "yaml");
  }

  @Test
  void theRiskReviewsOptions() {
    assertThat(names(complete("lint", "--d"))).containsExactly("--diff");
    assertThat(names(complete("lint", "--diff", "main", "--f")))
        .containsExactly("--filename", "--fail-on");
    assertThat(names(complete("lint", "--diff", "main", "-o", "")))
        .containsExactly("text", "json", "github");
    assertThat(names(complete("lint", "--diff", "main", "--fail-on", "")))
        .containsExactly("info", "warning", "high", "none");
    // A revision or a folder: the shell completes folders.
    assertThat(complete("lint", "--diff", "").directive()).isEqualTo(Completion.DEFAULT);
    assertThat(complete("lint", "--repo", "").directive()).isEqualTo(Completion.DEFAULT);
  }
}
