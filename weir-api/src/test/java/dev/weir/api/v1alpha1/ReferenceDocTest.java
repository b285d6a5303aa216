package dev.weir.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/reference/ holds the field reference of each CRD, generated from the CRD's own descriptions
 * (the text `kubectl explain` prints). Run with -Dweir.update=true (or `./weir crds`) to
 * regenerate.
 */
class ReferenceDocTest {

  private static final Set<String> UPSTREAM = Set.of(".spec.template", ".spec.selector");

  @ParameterizedTest
  @MethodSource("dev.weir.api.v1alpha1.GeneratedCrdsTest#crds")
  void fieldReferenceIsCurrent(String plural) throws IOException {
    String kind =
        plural.endsWith("ies")
            ? plural.substring(0, plural.length() - 3) + "y"
            : plural.substring(0, plural.length() - 1);
    Path doc = Path.of("docs/reference/" + kind + ".md");
    String expected = render(plural);
    if (Boolean.getBoolean("weir.update")) {
      Files.writeString(doc, expected);
    }
    assertThat(Files.exists(doc) ? Files.readString(doc) : "")
        .as("%s is stale: run ./weir crds", doc)
        .isEqualTo(expected);
  }

  static String render(String plural) throws IOException {
    var crd =
        Serialization.unmarshal(
            Files.readString(Path.of("crds/" + plural + ".weir.dev.yaml")),
            CustomResourceDefinition.class);
    var version = crd.getSpec().getVersions().get(0);
    var out = new StringBuilder();
    out.append("# ")
        .append(crd.getSpec().getNames().getKind())
        .append(" (`")
        .append(crd.getSpec().getGroup())
        .append("/")
        .append(version.getName())
        .append("`) field reference\n\n")
        .append("Generated from `crds/")
        .append(plural)
        .append(".weir.dev.yaml` by `./weir crds`; do not edit.\n")
        .append("Short names: `")
        .append(String.join("`, `", crd.getSpec().getNames().getShortNames()))
        .append("`.\n\n")
        .append("| field | type | default | description |\n")
        .append("| --- | --- | --- | --- |\n");
    var schema = version.getSchema().getOpenAPIV3Schema();
    walk(".spec", schema.getProperties().get("spec"), out);
    if (schema.getProperties().containsKey("status")) {
      walk(".status", schema.getProperties().get("status"), out);
    }
    return out.toString();
  }

  private static void walk(String path, JSONSchemaProps props, StringBuilder out) {
    out.append("| `")
        .append(path)
        .append("` | ")
        .append(type(props))
        .append(" | ")
        .append(props.getDefault() == null ? "" : "`" + props.getDefault().toString() + "`")
        .append(" | ")
        .append(
            props.getDescription() == null
                ? ""
                : props.getDescription().replace("|", "\\|").replace("\n", " "))
        .append(" |\n");
    if (UPSTREAM.contains(path)) {
      return;
    }
    if (props.getProperties() != null) {
      props.getProperties().forEach((name, child) -> walk(path + "." + name, child, out));
    }
    if (props.getItems() != null && props.getItems().getSchema() != null) {
      var items = props.getItems().getSchema();
      if (items.getProperties() != null && !path.equals(".status.conditions")) {
        items.getProperties().forEach((name, child) -> walk(path + "[]." + name, child, out));
      }
    }
  }

  private static String type(JSONSchemaProps props) {
    if (Boolean.TRUE.equals(props.getXKubernetesIntOrString())) {
      return "int or string";
    }
    String type = props.getType() == null ? "object" : props.getType();
    if (props.getEnum() != null && !props.getEnum().isEmpty()) {
      return type
          + " ("
          + String.join(
              ", ", props.getEnum().stream().map(e -> e.toString().replace("\"", "")).toList())
          + ")";
    }
    if (props.getMinimum() != null || props.getMaximum() != null) {
      return type
          + " ("
          + (props.getMinimum() == null ? "" : props.getMinimum().intValue())
          + ".."
          + (props.getMaximum() == null ? "" : props.getMaximum().intValue())
          + ")";
    }
    return type;
  }
}
