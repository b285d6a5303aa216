package dev.weir.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Prometheus that cannot run fails the tests with a message that says how to fix it. */
class PrometheusServerTest {

  @Test
  void aMissingBinaryNamesTheDebianPackage(@TempDir Path dir) {
    var builder = PrometheusServer.builder().binary(dir.resolve("prometheus"));

    assertThatThrownBy(builder::start)
        .hasMessageContaining(dir.resolve("prometheus") + " is missing")
        .hasMessageContaining("Install Debian's package 'prometheus'");
  }

  @Test
  void aServerThatDiesAtStartShowsTheTailOfItsLog(@TempDir Path dir) throws IOException {
    Path broken = dir.resolve("prometheus");
    Files.writeString(
        broken, "#!/bin/sh\necho 'err=\"opening storage failed: disk on fire\"'\nexit 1\n");
    Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwx------"));
    var builder = PrometheusServer.builder().binary(broken);

    assertThatThrownBy(builder::start)
        .hasMessageContaining("Debian package 'prometheus'")
        .hasMessageContaining("did not get ready")
        .hasMessageContaining("exited with code 1")
        .hasMessageContaining("opening storage failed: disk on fire");
  }
}
