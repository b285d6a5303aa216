package dev.weir.cli.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.cli.lint.Finding;
import dev.weir.cli.lint.ManifestLinter;
import dev.weir.cli.manifest.YamlDocument;
import dev.weir.cli.manifest.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kubectl weir convert} on the peers' documented examples, written as fixtures in
 * kubectl-weir/src/test/resources/convert/: each folder's input/ is converted as {@code cd input &&
 * kubectl weir convert -f FILE...} would, and the output must equal expected.yaml, the warnings and
 * notes expected-diagnostics.txt, and the output must pass {@code kubectl weir lint} without a
 * finding. {@code -Dweir.convert.update=true} writes the expected files from what convert does now,
 * for review in the diff.
 */
class ConvertFixturesTest {

  static final Path FIXTURES = Path.of("kubectl-weir/src/test/resources/convert");
  private static final boolean UPDATE = Boolean.getBoolean("weir.convert.update");

  static Stream<String> fixtures() throws IOException {
    try (var dirs = Files.list(FIXTURES)) {
      return dirs
          .filter(Files::isDirectory)
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  /** The input files of a fixture by name, in name order, as {@code -f} gives them. */
  static Map<String, String> input(String fixture) throws IOException {
    var files = new LinkedHashMap<String, String>();
    try (var list = Files.list(FIXTURES.resolve(fixture).resolve("input"))) {
      for (Path file : list.sorted().toList()) {
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    return files;
  }

  private static String expected(String fixture, String name, String actual) throws IOException {
    Path file = FIXTURES.resolve(fixture).resolve(name);
    if (UPDATE) {
      Files.writeString(file, actual);
    }
    return Files.readString(file);
  }

  private static String diagnostics(ManifestConverter.Conversion conversion) {
    var text = new StringBuilder();
    conversion.diagnostics().forEach(d -> text.append(d).append('\n'));
    return text.toString();
  }

  @ParameterizedTest(name = "{0}: the output is the expected one")
  @MethodSource("fixtures")
  void theOutputIsTheExpectedOne(String fixture) throws IOException {
    var conversion = ManifestConverter.convert(input(fixture));
    String yaml = ConvertedStream.yaml(conversion.objects());

    assertThat(yaml).isEqualTo(expected(fixture, "expected.yaml", yaml));
  }

  @ParameterizedTest(name = "{0}: it says exactly what does not carry over, and how the rest did")
  @MethodSource("fixtures")
  void itSaysExactlyWhatDoesNotCarryOver(String fixture) throws IOException {
    var conversion = ManifestConverter.convert(input(fixture));
    String said = diagnostics(conversion);

    assertThat(said).isEqualTo(expected(fixture, "expected-diagnostics.txt", said));
    assertThat(conversion.failed()).isFalse();
  }

  @ParameterizedTest(name = "{0}: the output passes kubectl weir lint")
  @MethodSource("fixtures")
  void theOutputPassesLint(String fixture) throws IOException {
    var conversion = ManifestConverter.convert(input(fixture));

    var result =
        ManifestLinter.lint(Map.of("converted.yaml", ConvertedStream.yaml(conversion.objects())));

    assertThat(result.findings()).extracting(Finding::toString).isEmpty();
    assertThat(result.summaries()).isNotEmpty().allSatisfy(s -> assertThat(s).endsWith(": valid"));
  }

  @ParameterizedTest(name = "{0}: the YAML reads back as the objects converted")
  @MethodSource("fixtures")
  void theYamlReadsBackAsTheObjectsConverted(String fixture) throws Exception {
    var conversion = ManifestConverter.convert(input(fixture));

    List<JsonNode> read =
        YamlDocuments.parse("converted.yaml", ConvertedStream.yaml(conversion.objects())).stream()
            .map(YamlDocument::value)
            .toList();

    assertThat(read)
        .isEqualTo(conversion.objects().stream().map(c -> (JsonNode) c.object()).toList());
  }
}
