package dev.weir.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.analysis.provider.prometheus.PrometheusTls;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.AnalysisRunStatus;
import dev.weir.testing.CertificateAuthority;
import dev.weir.testing.PrometheusServer;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import dev.weir.testing.Tier;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Prometheus behind TLS with a private CA that also asks every client for a certificate of that CA
 * (Prometheus' own web config, {@code client_auth_type: RequireAndVerifyClientCert}), as an
 * organisation's internal monitoring often is. Weir measures it with the operator's CA and client
 * certificate, fails the handshake (an Error, never a pass) without them, and presents its
 * certificate only to addresses the operator allowed. Runs written by hand, measured by the real
 * server.
 */
abstract class PrometheusTlsScenarios {

  private static final AtomicInteger STORIES = new AtomicInteger();

  static Path dir;
  static CertificateAuthority ca;
  static CertificateAuthority.Issued weirCertificate;
  static PrometheusServer prometheus;

  final Tier tier;
  String namespace;
  RunningWeir weir;

  PrometheusTlsScenarios(Tier tier) {
    this.tier = tier;
  }

  /** The client Weir runs with on this tier: its own identity where the tier has one. */
  abstract KubernetesClient weirIdentity();

  @BeforeAll
  static void startPrometheusBehindMutualTls() throws IOException {
    dir = Files.createTempDirectory("weir-prometheus-tls-");
    ca = CertificateAuthority.create(dir, "monitoring");
    var served = ca.issueServer("prometheus", List.of("IP:127.0.0.1", "DNS:localhost"));
    weirCertificate = ca.issueClient("weir");
    var fixture = ca.issueClient("weir-test-fixture");
    prometheus =
        PrometheusServer.builder()
            .tls(served.certificate(), served.key())
            .requireClientCertificates(ca.certificate(), fixture.certificate(), fixture.key())
            .start();
  }

  @AfterAll
  static void stopPrometheus() throws IOException {
    prometheus.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @BeforeEach
  void startTier() {
    tier.beforeStory();
    namespace = "monitoring-tls-" + STORIES.incrementAndGet();
    tier.client()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(NonDeletingOperation::update);
  }

  @AfterEach
  void stopWeir() {
    if (weir != null) {
      weir.close();
    }
    tier.afterStory(namespace);
  }

  /** The default address is the TLS Prometheus; with the CA and client certificate, or not. */
  PrometheusSettings settings(boolean operatorsTls) {
    var settings =
        PrometheusSettings.of(
            Optional.of(prometheus.address().toString()), RunningWeir.QUERY_TIMEOUT);
    return operatorsTls
        ? settings.withTls(
            new PrometheusTls(
                Optional.of(ca.certificate()),
                Optional.of(weirCertificate.certificate()),
                Optional.of(weirCertificate.key())))
        : settings;
  }

  /** A run written by hand asking {@code address} (none: the default) for {@code vector(1)}. */
  void givenARun(String name, String address) {
    var run =
        Serialization.unmarshal(
            """
            apiVersion: weir.dev/v1alpha1
            kind: AnalysisRun
            metadata:
              name: %s
            spec:
              metrics:
                - name: one
                  successCondition: "result[0] == 1.0"
                  consecutiveErrorLimit: 0
                  provider:
                    prometheus:
                      %s
                      query: vector(1)
            """
                .formatted(name, address == null ? "" : "address: " + address),
            AnalysisRun.class);
    run.getMetadata().setNamespace(namespace);
    tier.client().resource(run).create();
  }

  AnalysisRunStatus awaitVerdict(String name) {
    await("run " + name + " judged")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> status(name) != null && status(name).phase.completed());
    return status(name);
  }

  private AnalysisRunStatus status(String name) {
    var run =
        tier.client().resources(AnalysisRun.class).inNamespace(namespace).withName(name).get();
    return run == null || run.getStatus() == null || run.getStatus().phase == null
        ? null
        : run.getStatus();
  }

  private static String lastMessage(AnalysisRunStatus status) {
    var measurements = status.metricResults.get(0).measurements;
    return measurements.get(measurements.size() - 1).message;
  }

  @Test
  void withTheOperatorsCaAndClientCertificateARunIsMeasured() {
    weir = RunningWeir.start(weirIdentity(), settings(true), 0);
    givenARun("mutual-tls", null);

    var judged = awaitVerdict("mutual-tls");

    assertThat(judged.phase).as(Serialization.asYaml(judged)).isEqualTo(AnalysisPhase.Successful);
    assertThat(judged.metricResults.get(0).measurements.get(0).value).isEqualTo("1");
  }

  @Test
  void withoutThemTheHandshakeFailsAndTheRunEndsInError() {
    weir = RunningWeir.start(weirIdentity(), settings(false), 0);
    givenARun("system-cas-only", null);

    var judged = awaitVerdict("system-cas-only");

    assertThat(judged.phase).as(Serialization.asYaml(judged)).isEqualTo(AnalysisPhase.Error);
    assertThat(lastMessage(judged))
        .startsWith("TLS handshake with Prometheus at " + prometheus.address() + " failed");
  }

  @Test
  void theClientCertificateGoesOnlyToTheAllowedAddresses() {
    // The same server by another name its certificate holds: trusted, but not allowed.
    String elsewhere = "https://localhost:" + prometheus.address().getPort();
    weir = RunningWeir.start(weirIdentity(), settings(true), 0);
    givenARun("not-allowed", elsewhere);

    var refused = awaitVerdict("not-allowed");

    assertThat(refused.phase).as(Serialization.asYaml(refused)).isEqualTo(AnalysisPhase.Error);
    // Under TLS 1.3 the server checks the client's certificate after the client has finished its
    // half of the handshake, so the refusal reaches the client either as a handshake failure or
    // as the connection reset on the first read, whichever the scheduling lets it see first.
    assertThat(lastMessage(refused))
        .matches(
            "(TLS handshake with|the exchange with) Prometheus at "
                + Pattern.quote(elsewhere)
                + " failed: .*");

    weir.close();
    weir = RunningWeir.start(weirIdentity(), settings(true).allowing(List.of(elsewhere)), 0);
    givenARun("allowed", elsewhere);

    assertThat(awaitVerdict("allowed").phase).isEqualTo(AnalysisPhase.Successful);
  }
}
