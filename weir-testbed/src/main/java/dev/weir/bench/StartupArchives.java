package dev.weir.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Where a JDK with an AOT cache (JDK 25 or later) is installed beside the one running. */
final class StartupArchives {

  /** Debian's folder of installed JDKs. */
  static final Path JVM_FOLDER = Path.of("/usr/lib/jvm");

  private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"([0-9]+)[^\"]*\"");

  private StartupArchives() {}

  /** The newest JDK of 25 or later under {@link #JVM_FOLDER}, when there is one. */
  static Optional<Path> jdkWithAotCache() {
    if (!Files.isDirectory(JVM_FOLDER)) {
      return Optional.empty();
    }
    try (Stream<Path> jdks = Files.list(JVM_FOLDER)) {
      return jdks.filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")))
          .filter(jdk -> feature(jdk) >= 25)
          .max(Comparator.comparingInt(StartupArchives::feature));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JDK's feature release, from its {@code release} file; 0 when it has none. */
  static int feature(Path jdk) {
    String v = version(jdk);
    return v.isEmpty() ? 0 : Integer.parseInt(v);
  }

  /** The feature release as its {@code release} file states it, or empty. */
  static String version(Path jdk) {
    Path release = jdk.resolve("release");
    try {
      if (!Files.exists(release)) {
        return "";
      }
      var m = VERSION.matcher(Files.readString(release));
      return m.find() ? m.group(1) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
