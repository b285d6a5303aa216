package dev.weir.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A build step, run after the CRD generator: puts the printer columns of each CRD given in the
 * order they are declared on its class (the generator sorts them by JSON path, which would show AGE
 * first in {@code kubectl get}).
 */
public final class PrinterColumnOrder {

  private PrinterColumnOrder() {}

  private static final Map<String, Class<?>> KINDS =
      Map.of("Rollout", Rollout.class, "AnalysisRun", AnalysisRun.class);

  public static void main(String[] args) throws IOException {
    for (String file : args) {
      reorder(Path.of(file));
    }
  }

  private static void reorder(Path file) throws IOException {
    String yaml = Files.readString(file);
    String header = yaml.startsWith("#") ? yaml.substring(0, yaml.indexOf('\n') + 1) : "";
    var crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
    List<String> declared =
        Arrays.stream(
                KINDS
                    .get(crd.getSpec().getNames().getKind())
                    .getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    for (var version : crd.getSpec().getVersions()) {
      var columns = new ArrayList<>(version.getAdditionalPrinterColumns());
      columns.sort(
          Comparator.comparingInt(
              (CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
      version.setAdditionalPrinterColumns(columns);
    }
    Files.writeString(file, header + Serialization.asYaml(crd).replaceFirst("^---\n", ""));
  }
}
