package dev.weir.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Certificates Weir issues for its webhook, kept in a Secret every replica reads, with the webhook
 * configuration's caBundle kept in step: issued once, served unchanged until a third of their life
 * is left, then renewed from the same authority (the caBundle stays as it was).
 */
@EnableKubernetesMockClient(crud = true)
class IssuedCertificatesTest {

  private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
  private static final List<String> NAMES = List.of("weir-webhook.weir-system.svc");

  KubernetesClient client;

  @BeforeEach
  void webhookConfiguration() {
    client
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .resource(
            new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName("weir")
                .endMetadata()
                .addNewWebhook()
                .withName("rollouts.weir.dev")
                .withNewClientConfig()
                .withNewService()
                .withName("weir-webhook")
                .withNamespace("weir-system")
                .endService()
                .endClientConfig()
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .endWebhook()
                .build())
        .create();
  }

  private IssuedCertificates at(Instant now) {
    return new IssuedCertificates(
        client,
        "weir-system",
        "weir-webhook-tls",
        "weir",
        NAMES,
        Duration.ofDays(90),
        Clock.fixed(now, ZoneOffset.UTC));
  }

  private String caBundle() {
    var live =
        client
            .admissionRegistration()
            .v1()
            .validatingWebhookConfigurations()
            .withName("weir")
            .get();
    String bundle = live.getWebhooks().get(0).getClientConfig().getCaBundle();
    return bundle == null
        ? null
        : new String(Base64.getDecoder().decode(bundle), StandardCharsets.US_ASCII);
  }

  @Test
  void theFirstReplicaIssuesAndKeepsTheCertificateAndTheCaBundle() {
    var issued = at(NOW).current();

    var secret = client.secrets().inNamespace("weir-system").withName("weir-webhook-tls").get();
    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.getData()).containsKeys("ca.crt", "ca.key", "tls.crt", "tls.key");
    assertThat(issued.names()).containsExactlyElementsOf(NAMES);
    assertThat(caBundle()).isEqualTo(issued.caCertificate());
  }

  @Test
  void anotherReplicaServesTheSameCertificate() {
    var first = at(NOW).current();

    var second = at(NOW.plus(Duration.ofDays(1))).current();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void aCertificateNearItsEndIsRenewedFromTheSameAuthority() {
    var first = at(NOW).current();

    var renewed = at(NOW.plus(Duration.ofDays(61))).current();

    assertThat(renewed).isNotEqualTo(first);
    assertThat(renewed.caCertificate()).isEqualTo(first.caCertificate());
    assertThat(renewed.notAfter()).isAfter(first.notAfter());
    assertThat(caBundle()).isEqualTo(first.caCertificate());
    assertThat(at(NOW.plus(Duration.ofDays(62))).current()).isEqualTo(renewed);
  }

  @Test
  void aSecretThatHoldsNoCertificateIsReplaced() {
    client
        .secrets()
        .inNamespace("weir-system")
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("weir-webhook-tls")
                .endMetadata()
                .addToData("tls.crt", "bm90IGEgY2VydGlmaWNhdGU=")
                .build())
        .create();

    var issued = at(NOW).current();

    assertThat(issued.names()).containsExactlyElementsOf(NAMES);
    assertThat(caBundle()).isEqualTo(issued.caCertificate());
  }
}
