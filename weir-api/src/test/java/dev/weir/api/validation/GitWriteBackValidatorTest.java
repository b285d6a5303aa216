package dev.weir.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.GitWriteBack;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.SpecProblem;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each rule of spec.gitWriteBack: one mistake, one problem, named by its field. */
class GitWriteBackValidatorTest {

  private static RolloutSpec example(Consumer<GitWriteBack> change) {
    var spec = Examples.rolloutSpec("examples/canary-istio/rollout.yaml");
    var git = new GitWriteBack();
    git.repoURL = "https://git.example/shop/config.git";
    git.path = "apps/checkout/rollout.yaml";
    change.accept(git);
    spec.gitWriteBack = git;
    return spec;
  }

  @Test
  void aCompleteWriteBackIsValid() {
    assertThat(RolloutValidator.validate(example(git -> {}))).isEmpty();
    assertThat(
            RolloutValidator.validate(
                example(
                    git -> {
                      git.branch = "release/2026-12";
                      git.field = "images[name=registry.example/checkout].newTag";
                      git.container = "app";
                      git.credentialsSecret = "git-creds";
                    })))
        .isEmpty();
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of((Consumer<GitWriteBack>) g -> g.repoURL = null, "repoURL", "is required"),
        Arguments.of(
            (Consumer<GitWriteBack>) g -> g.repoURL = "git@git.example:shop/config.git",
            "repoURL",
            "https:// or http://"),
        Arguments.of(
            (Consumer<GitWriteBack>) g -> g.repoURL = "https://weir:s3cret@git.example/config.git",
            "repoURL",
            "must not hold a user or password"),
        Arguments.of(
            (Consumer<GitWriteBack>) g -> g.branch = "main..evil", "branch", "not a branch name"),
        Arguments.of((Consumer<GitWriteBack>) g -> g.branch = "a b", "branch", "not a branch name"),
        Arguments.of((Consumer<GitWriteBack>) g -> g.path = " ", "path", "is required"),
        Arguments.of(
            (Consumer<GitWriteBack>) g -> g.path = "../other/rollout.yaml",
            "path",
            "inside the repository"),
        Arguments.of(
            (Consumer<GitWriteBack>) g -> g.path = "/etc/passwd", "path", "inside the repository"),
        Arguments.of(
            (Consumer<GitWriteBack>) g -> g.field = "images[name].newTag",
            "field",
            "is not a field path"),
        Arguments.of(
            (Consumer<GitWriteBack>) g -> g.container = "sidecar",
            "container",
            "not a container of spec.template"),
        Arguments.of(
            (Consumer<GitWriteBack>) g -> g.credentialsSecret = "",
            "credentialsSecret",
            "must name a Secret"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("mistakes")
  void eachMistakeNamesItsField(Consumer<GitWriteBack> mistake, String field, String message) {
    var problems = RolloutValidator.validate(example(mistake));
    assertThat(problems)
        .extracting(SpecProblem::field)
        .containsExactly("spec.gitWriteBack." + field);
    assertThat(problems.get(0).message()).contains(message).doesNotContain("s3cret");
  }
}
