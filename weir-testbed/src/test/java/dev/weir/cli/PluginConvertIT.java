package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.KubectlWeir;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl weir convert} through the real kubectl, as a user runs it: the peers' documented
 * examples (the fixtures of kubectl-weir/src/test/resources/convert/) converted and piped into
 * {@code kubectl weir lint}, {@code --strict}, stdin, and the command in help and completion.
 */
class PluginConvertIT {

  static final String FIXTURES = "kubectl-weir/src/test/resources/convert/";

  final KubectlWeir kubectl = new KubectlWeir(null);

  @Test
  void eachFixtureConvertsIntoManifestsThatLintClean() {
    for (String fixture :
        new String[] {"argo-canary-istio", "argo-blue-green", "argo-analysis", "flagger-podinfo"}) {
      var result =
          kubectl.shell(
              "set -o pipefail; kubectl weir convert -f "
                  + FIXTURES
                  + fixture
                  + "/input 2>/dev/null | kubectl weir lint -f -");

      assertThat(result.exitCode()).as(fixture + ": " + result.both()).isZero();
      assertThat(result.out().lines())
          .as(fixture)
          .isNotEmpty()
          .allSatisfy(line -> assertThat(line).endsWith(": valid"));
    }
  }

  @Test
  void whatDoesNotCarryOverIsOnStderrAndStrictRefusesIt() {
    var converted = kubectl.weir("convert", "-f", FIXTURES + "flagger-podinfo/input");
    var strict = kubectl.weir("convert", "--strict", "-f", FIXTURES + "flagger-podinfo/input");

    assertThat(converted.exitCode()).as(converted.both()).isZero();
    assertThat(converted.out()).contains("kind: Rollout\n", "kind: AnalysisTemplate\n");
    assertThat(converted.err())
        .contains(
            FIXTURES
                + "flagger-podinfo/input/canary.yaml:71: warning: spec.analysis.webhooks[1]: Weir"
                + " calls no webhooks")
        .endsWith("converted 8 objects: 2 warnings, 9 notes\n");
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.out()).isEmpty();
    assertThat(strict.err()).endsWith("error: 2 warnings and --strict: nothing written\n");
  }

  @Test
  void stdinIsConvertedToo() {
    var result =
        kubectl.shell(
            "cat " + FIXTURES + "argo-canary-istio/input/rollout.yaml | kubectl weir convert -f -");

    assertThat(result.exitCode()).as(result.both()).isZero();
    assertThat(result.out())
        .startsWith(
            "# From Rollout argo-canary/rollouts-demo of argoproj.io/v1alpha1 (<stdin>:5).\n");
  }

  @Test
  void helpAndCompletionKnowTheCommand() {
    var help = kubectl.weir("--help");
    var completion = kubectl.kubectl("__complete", "weir", "conv");
    var flags = kubectl.kubectl("__complete", "weir", "convert", "-f", "x.yaml", "--st");

    assertThat(help.out()).containsPattern("(?m)^  convert +Convert Argo Rollouts manifests");
    assertThat(completion.out()).startsWith("convert\t");
    assertThat(flags.out()).startsWith("--strict\t");
  }
}
