package dev.weir.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Manifests read once: values typed as the API server types them, and where each field is. */
class YamlDocumentsTest {

  @Test
  void valuesAreTypedAsTheApiServerTypesThem() throws Exception {
    var doc =
        YamlDocuments.parse(
                "a.yaml",
                """
                kind: Thing
                spec:
                  count: 5
                  quoted: "5"
                  ratio: 0.95
                  on: yes
                  since: 2026-11-30T10:15:26Z
                  nothing: null
                """)
            .get(0);

    var spec = doc.value().path("spec");
    assertThat(spec.path("count").isInt()).isTrue();
    assertThat(spec.path("quoted").isTextual()).isTrue();
    assertThat(spec.path("ratio").asDouble()).isEqualTo(0.95);
    assertThat(spec.path("on").isBoolean()).isTrue();
    assertThat(spec.path("since").asText())
        .as("a timestamp stays as written")
        .isEqualTo("2026-11-30T10:15:26Z");
    assertThat(spec.path("nothing").isNull()).isTrue();
  }

  @Test
  void mergeKeysAreMergedAndEveryFieldKnowsItsLine() throws Exception {
    var docs =
        YamlDocuments.parse(
            "a.yaml",
            """
            kind: Other
            ---
            kind: Thing
            defaults: &base
              interval: 1m
            spec:
              metric:
                <<: *base
                name: rate
            ---
            - a list is no object
            """);

    assertThat(docs).hasSize(2);
    var thing = docs.get(1);
    assertThat(thing.value().at("/spec/metric/interval").asText()).isEqualTo("1m");
    assertThat(thing.line()).isEqualTo(3);
    assertThat(thing.line("spec.metric.name")).isEqualTo(9);
    assertThat(thing.line("spec.metric.missing")).as("the nearest parent").isEqualTo(7);
  }

  @Test
  void whatIsNotYamlSaysWhere() {
    assertThatThrownBy(() -> YamlDocuments.parse("a.yaml", "kind: Thing\n  spec: [\n"))
        .isInstanceOfSatisfying(
            YamlDocuments.SyntaxError.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.column()).isEqualTo(7);
            });
  }
}
