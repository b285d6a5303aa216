package dev.weir.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real helm binary (from {@code hack/helm.sh}, which fetches and caches it when missing) run
 * over the chart in {@code helm/weir}.
 */
public final class Helm {

  public static final Path CHART = Path.of("helm/weir");

  private static String binary;

  private Helm() {}

  /** The output of {@code helm args...}; throws with it when helm exits non-zero. */
  public static String run(String... args) {
    var command = new ArrayList<String>();
    command.add(binary());
    command.addAll(List.of(args));
    return exec(command);
  }

  /** {@code helm template RELEASE helm/weir -n NAMESPACE --set ...}, parsed. */
  public static List<HasMetadata> template(String release, String namespace, String... sets) {
    var args = new ArrayList<>(List.of("template", release, CHART.toString(), "-n", namespace));
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    String yaml = run(args.toArray(String[]::new));
    var objects = new ArrayList<HasMetadata>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
        Object parsed =
            Serialization.unmarshal(
                new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)));
        objects.add((HasMetadata) parsed);
      }
    }
    return objects;
  }

  private static synchronized String binary() {
    if (binary == null) {
      String out = exec(List.of("hack/helm.sh")).strip();
      binary = out.lines().reduce((a, b) -> b).orElseThrow();
    }
    return binary;
  }

  private static String exec(List<String> command) {
    try {
      Path errors = java.nio.file.Files.createTempFile("weir-helm-", ".err");
      try {
        var process =
            new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(errors.toFile()))
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
          throw new IllegalStateException(
              String.join(" ", command)
                  + " failed:\n"
                  + out
                  + java.nio.file.Files.readString(errors));
        }
        return out;
      } finally {
        java.nio.file.Files.deleteIfExists(errors);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
