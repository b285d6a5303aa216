package dev.weir.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Weir's controller image as {@code hack/image.sh} builds it, unpacked the way a container runtime
 * unpacks an OCI archive: the index, the manifest, the config, then each layer over the last. Built
 * and unpacked once per test JVM, into {@code weir-testbed/target/image/}.
 *
 * <p>Building needs root (debootstrap, buildah). When it cannot be built the test fails with the
 * script's own words; the image tier is skipped only when asked, with {@code
 * -Dweir.tier.image=skip}.
 */
public final class ControllerImage {

  public static final String TIER_PROPERTY = "weir.tier.image";

  private static final Path DIR = Path.of("weir-testbed/target/image");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ControllerImage shared;

  private final Path archive;
  private final Path rootfs;
  private final String name;
  private final JsonNode config;

  private ControllerImage(Path archive, Path rootfs, String name, JsonNode config) {
    this.archive = archive;
    this.rootfs = rootfs;
    this.name = name;
    this.config = config;
  }

  /** The image of this build, built and unpacked on first use. */
  public static synchronized ControllerImage shared() {
    if ("skip".equals(System.getProperty(TIER_PROPERTY))) {
      Assumptions.abort("the image tier is skipped: -D" + TIER_PROPERTY + "=skip");
    }
    if (shared == null) {
      try {
        shared = unpack(build());
      } catch (IOException e) {
        throw new IllegalStateException("could not unpack the controller image: " + e, e);
      }
    }
    return shared;
  }

  /** The archive {@code hack/image.sh} wrote. */
  public Path archive() {
    return archive;
  }

  /** The image's name in the archive ({@code org.opencontainers.image.ref.name}): weir:TAG. */
  public String name() {
    return name;
  }

  /** The unpacked root filesystem, every layer applied. */
  public Path rootfs() {
    return rootfs;
  }

  /** The config's {@code User}: {@code UID:GID}. */
  public String user() {
    return config.path("User").asText();
  }

  public String workingDir() {
    return config.path("WorkingDir").asText("/");
  }

  public List<String> entrypoint() {
    return strings(config.path("Entrypoint"));
  }

  /** The config's {@code Env}, as {@code NAME=VALUE}. */
  public List<String> env() {
    return strings(config.path("Env"));
  }

  /** The config's {@code ExposedPorts}, as {@code 8080/tcp}. */
  public List<String> exposedPorts() {
    var ports = new ArrayList<String>();
    config.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    return ports;
  }

  private static List<String> strings(JsonNode array) {
    var out = new ArrayList<String>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Path build() throws IOException {
    Files.createDirectories(DIR);
    Path log = DIR.resolve("image.log");
    String out = exec(log, "hack/image.sh", DIR.resolve("weir-image.tar").toString());
    return Path.of(out.strip().lines().reduce((a, b) -> b).orElseThrow());
  }

  private static ControllerImage unpack(Path archive) throws IOException {
    Path layout = DIR.resolve("layout");
    Path rootfs = DIR.resolve("rootfs");
    Path log = DIR.resolve("unpack.log");
    exec(log, "rm", "-rf", layout.toString(), rootfs.toString());
    Files.createDirectories(layout);
    Files.createDirectories(rootfs);
    exec(log, "tar", "-xf", archive.toString(), "-C", layout.toString());
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    JsonNode entry = index.path("manifests").path(0);
    String name = entry.path("annotations").path("org.opencontainers.image.ref.name").asText();
    JsonNode manifest = JSON.readTree(blob(layout, entry.path("digest").asText()).toFile());
    JsonNode config =
        JSON.readTree(blob(layout, manifest.path("config").path("digest").asText()).toFile());
    for (JsonNode layer : manifest.path("layers")) {
      String mediaType = layer.path("mediaType").asText();
      String flags = mediaType.endsWith("+gzip") ? "-xzf" : "-xf";
      // As root, tar keeps the layer's owners and modes, as a runtime does.
      exec(
          log,
          "tar",
          "--numeric-owner",
          flags,
          blob(layout, layer.path("digest").asText()).toString(),
          "-C",
          rootfs.toString());
    }
    // Mount points a runtime creates: the service account's files, the host's name files.
    Files.createDirectories(rootfs.resolve("run/secrets/kubernetes.io/serviceaccount"));
    for (String file : List.of("etc/hosts", "etc/resolv.conf")) {
      if (!Files.exists(rootfs.resolve(file))) {
        Files.writeString(rootfs.resolve(file), "");
      }
    }
    // The root filesystem is what runs; the layout's blobs would only double the disk used.
    exec(log, "rm", "-rf", layout.toString());
    return new ControllerImage(archive, rootfs, name, config.path("config"));
  }

  private static Path blob(Path layout, String digest) {
    String[] parts = digest.split(":", 2);
    return layout.resolve("blobs").resolve(parts[0]).resolve(parts[1]);
  }

  /** Runs a command to completion; its stdout, or an exception with the end of its output. */
  private static String exec(Path log, String... command) throws IOException {
    Path out = Files.createTempFile(DIR, "exec", ".out");
    try {
      var process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (!process.waitFor(20, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish");
      }
      if (process.exitValue() != 0) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        throw new IllegalStateException(
            String.join(" ", command)
                + " failed (exit "
                + process.exitValue()
                + "):\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
