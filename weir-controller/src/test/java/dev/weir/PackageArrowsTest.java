package dev.weir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The controller's packages point down only, as docs/development.md draws them: the planner knows
 * the API and the traffic router's value types, never the cluster; routers, analysis and
 * observability know the API and their own backends, never the reconcilers; nothing but the wiring
 * knows the wiring. Read from the sources' imports, so a new arrow up fails here.
 */
class PackageArrowsTest {

  private static final Path SOURCES = Path.of("weir-controller/src/main/java");
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("dev.weir.traffic", "dev.weir.rollout"),
        Arguments.of("dev.weir.notify", "dev.weir.rollout"),
        Arguments.of("dev.weir.notify", "dev.weir.app"),
        Arguments.of("dev.weir.analysis", "dev.weir.rollout"),
        Arguments.of("dev.weir.observability", "dev.weir.rollout"),
        Arguments.of("dev.weir.observability", "dev.weir.analysis"),
        Arguments.of("dev.weir.observability", "dev.weir.traffic"),
        Arguments.of("dev.weir.traffic", "dev.weir.analysis"),
        Arguments.of("dev.weir.rollout.plan", "dev.weir.rollout.ReplicaSets"),
        Arguments.of("dev.weir.rollout.plan", "dev.weir.rollout.RolloutReconciler"),
        Arguments.of("dev.weir.rollout.plan", "dev.weir.analysis"),
        Arguments.of("dev.weir.rollout.plan", "dev.weir.observability"),
        Arguments.of("dev.weir.rollout.plan", "dev.weir.traffic.TrafficRouter"),
        Arguments.of("dev.weir.rollout.plan", "io.fabric8.kubernetes.client.KubernetesClient"),
        Arguments.of("dev.weir.rollout.plan", "io.fabric8.kubernetes.client.dsl"),
        Arguments.of("dev.weir.rollout.plan", "io.javaoperatorsdk"),
        Arguments.of("dev.weir.rollout", "dev.weir.app"),
        Arguments.of("dev.weir.analysis", "dev.weir.app"),
        Arguments.of("dev.weir.traffic", "dev.weir.app"),
        Arguments.of("dev.weir.observability", "dev.weir.app"));
  }

  @ParameterizedTest(name = "{0} does not import {1}")
  @MethodSource("rules")
  void noArrowUp(String from, String forbidden) {
    assertThat(importsOf(from))
        .as("imports of %s", from)
        .noneMatch(i -> i.equals(forbidden) || i.startsWith(forbidden + "."));
  }

  /** The imports of every class of a package and its sub-packages. */
  private static List<String> importsOf(String pkg) {
    Path dir = SOURCES.resolve(pkg.replace('.', '/'));
    assertThat(dir).as("sources of " + pkg).isDirectory();
    var imports = new ArrayList<String>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        var m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          imports.add(m.group(1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return imports;
  }
}
