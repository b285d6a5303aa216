package dev.weir.bench;

import dev.weir.bench.ControllerStartupBench.Running;
import dev.weir.bench.ControllerStartupBench.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The packaged controller started with an archive of its own start: the first start (the bench's
 * uncounted one) records it against the bench's API server and writes it as it stops; every later
 * start maps it.
 */
final class TrainedPackage implements Variant {

  /** How a JDK keeps what a start loaded and linked. */
  enum Archive {
    /** JDK 13+: the classes a run loaded, written at exit (dynamic AppCDS). */
    DYNAMIC_CDS("-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile="),
    /** JDK 25+: classes loaded and linked, and the profile of the run (JEPs 483, 514, 515). */
    AOT_CACHE("-XX:AOTCacheOutput=", "-XX:AOTCache=");

    private final String record;
    private final String use;

    Archive(String record, String use) {
      this.record = record;
      this.use = use;
    }
  }

  private final String name;
  private final Path jdk;
  private final Path jar;
  private final Path kubeconfig;
  private final Archive archive;
  private final Path file;

  TrainedPackage(String name, Path jdk, Path jar, Path kubeconfig, Archive archive, Path file) {
    this.name = name;
    this.jdk = jdk;
    this.jar = jar;
    this.kubeconfig = kubeconfig;
    this.archive = archive;
    this.file = file.toAbsolutePath();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Running start(int port, Path log) throws IOException {
    if (Files.exists(file)) {
      return PackagedController.start(jdk, List.of(archive.use + file), jar, kubeconfig, port, log);
    }
    // The AOT cache is assembled by a second JVM after the training one exits: give it time.
    var training =
        PackagedController.start(
            jdk, List.of(archive.record + file), jar, kubeconfig, port, log, Duration.ofMinutes(3));
    return () -> {
      training.close();
      if (!Files.exists(file)) {
        throw new IllegalStateException(
            "the training start wrote no archive " + file + "; see " + log);
      }
    };
  }
}
