package dev.weir.analysis.provider.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's TLS settings are checked when the controller starts: a half-configured client
 * certificate or a file that holds nothing usable stops it with the setting and the file named,
 * rather than failing every measurement later. (The handshakes themselves are proven against the
 * real Prometheus in the testbed's PrometheusTls stories.)
 */
class PrometheusTlsTest {

  @TempDir Path dir;

  @Test
  void aClientCertificateNeedsItsKey() {
    assertThatThrownBy(
            () ->
                new PrometheusTls(
                    Optional.empty(), Optional.of(dir.resolve("tls.crt")), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weir.prometheus.tls.cert-file and weir.prometheus.tls.key-file");
  }

  @Test
  void aCaFileThatIsMissingOrHoldsNoCertificateStopsTheStart() throws Exception {
    Path missing = dir.resolve("missing.crt");
    assertThatThrownBy(
            () ->
                new PrometheusProvider(
                    Clock.systemUTC(),
                    new PrometheusTls(Optional.of(missing), Optional.empty(), Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ca-file " + missing)
        .hasMessageContaining("cannot be read");

    Path garbage = Files.writeString(dir.resolve("ca.crt"), "not a certificate\n");
    Path key = Files.writeString(dir.resolve("tls.key"), "not a key\n");
    assertThatThrownBy(
            () ->
                new PrometheusProvider(
                    Clock.systemUTC(),
                    new PrometheusTls(Optional.empty(), Optional.of(garbage), Optional.of(key))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cert-file " + garbage);
  }

  @Test
  void withoutSettingsTheSystemsCasAreTrusted() {
    assertThat(PrometheusTls.none().hasClientCertificate()).isFalse();
    assertThat(new PrometheusProvider(Clock.systemUTC(), PrometheusTls.none())).isNotNull();
  }
}
