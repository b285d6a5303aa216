package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl weir convert} as a command: what it writes where, and its exit codes. (The real
 * kubectl runs it in weir-testbed's PluginConvertIT.)
 */
class ConvertCommandTest {

  static final String FIXTURES = "kubectl-weir/src/test/resources/convert/";

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void writesTheConversionToStdoutAndWhatDidNotCarryOverToStderr() {
    var run = run("convert", "-f", FIXTURES + "flagger-podinfo/input");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("# From Canary test/podinfo").contains("kind: Rollout\n");
    assertThat(run.err())
        .contains(
            FIXTURES
                + "flagger-podinfo/input/canary.yaml:71: warning: spec.analysis.webhooks[1]: Weir"
                + " calls no webhooks")
        .endsWith("converted 8 objects: 2 warnings, 9 notes\n");
  }

  @Test
  void strictFailsOnAWarningAndWritesNothing() {
    var run = run("convert", "--strict", "-f", FIXTURES + "flagger-podinfo/input");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).endsWith("\nerror: 2 warnings and --strict: nothing written\n");
  }

  @Test
  void strictPassesWhatCarriesOverWhole() {
    var run = run("convert", "--strict", "-f", FIXTURES + "argo-canary-istio/input");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).endsWith("converted 5 objects: 0 warnings, 1 note\n");
  }

  @Test
  void jsonIsOneListOfTheObjects() {
    var run = run("convert", "-o", "json", "-f", FIXTURES + "argo-canary-istio/input");

    assertThat(run.exitCode()).isZero();
    var list = Json.parse(run.out());
    assertThat(list.path("kind").asText()).isEqualTo("List");
    assertThat(list.path("items"))
        .extracting(i -> i.path("kind").asText())
        .containsExactly("AnalysisTemplate", "Rollout", "Service", "Service", "VirtualService");
  }

  @Test
  void aMissingFileOrOneThatIsNotYamlFails(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "kind: Rollout\n  spec: [\n");

    var missing = run("convert", "-f", dir.resolve("nope.yaml").toString());
    var notYaml = run("convert", "-f", broken.toString());

    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err())
        .isEqualTo("error: the path \"" + dir.resolve("nope.yaml") + "\" does not exist\n");
    assertThat(notYaml.exitCode()).isEqualTo(1);
    assertThat(notYaml.out()).isEmpty();
    assertThat(notYaml.err())
        .isEqualTo(
            broken
                + ":2: error: invalid YAML at column 7: mapping values are not allowed here\n"
                + "error: nothing converted: the files above are not YAML\n");
  }

  @Test
  void helpListsConvert() {
    var run = run("--help");

    assertThat(run.out()).containsPattern("(?m)^  convert +Convert Argo Rollouts manifests");
  }
}
