package dev.weir.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook over real TLS on loopback, as the API server calls it: an AdmissionReview in, the
 * same review answered; a client that trusts only the webhook's authority (the caBundle); a renewed
 * certificate served from the next handshake on.
 */
class WebhookServerTest {

  private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");

  private final RotatingKeyManager keys = new RotatingKeyManager();
  private final ServingCertificate issued =
      ServingCertificate.issue(List.of("127.0.0.1"), Duration.ofDays(365), Instant.now());
  private WebhookServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<String> post(ServingCertificate trusted, String body) throws Exception {
    var trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry(
        "ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(
                    trusted.caCertificate().getBytes(StandardCharsets.US_ASCII))));
    var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    var tls = SSLContext.getInstance("TLS");
    tls.init(null, factory.getTrustManagers(), null);
    var client = HttpClient.newBuilder().sslContext(tls).build();
    return client.send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/validate"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String review(String kind, String object) {
    return """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",
         "request":{"uid":"4b1c9a2e","kind":{"group":"weir.dev","version":"v1alpha1","kind":"%s"},
                    "operation":"CREATE","object":%s}}
        """
        .formatted(kind, object);
  }

  @Test
  void anInvalidRolloutIsRefusedWithTheFieldAndTheReviewsUid() throws Exception {
    keys.use(issued);
    server = WebhookServer.start("127.0.0.1", 0, keys);

    var answer =
        post(
            issued,
            review(
                "Rollout",
                "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"a\"}},"
                    + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"a\"}}},"
                    + "\"strategy\":{\"canary\":{\"steps\":[{\"setWeight\":-5}]}}}}"));

    assertThat(answer.statusCode()).isEqualTo(200);
    var response = Serialization.unmarshal(answer.body(), AdmissionReview.class).getResponse();
    assertThat(response.getUid()).isEqualTo("4b1c9a2e");
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getCode()).isEqualTo(422);
    assertThat(response.getStatus().getMessage())
        .contains("spec.strategy.canary.steps[0].setWeight");
  }

  @Test
  void aValidObjectIsAllowed() throws Exception {
    keys.use(issued);
    server = WebhookServer.start("127.0.0.1", 0, keys);

    var answer =
        post(
            issued,
            review(
                "AnalysisTemplate",
                "{\"spec\":{\"metrics\":[{\"name\":\"up\",\"successCondition\":\"result[0] > 0.5\","
                    + "\"provider\":{\"prometheus\":{\"address\":\"http://p:9090\","
                    + "\"query\":\"up\"}}}]}}"));

    var response = Serialization.unmarshal(answer.body(), AdmissionReview.class).getResponse();
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getStatus()).isNull();
    assertThat(response.getWarnings()).isNullOrEmpty();
  }

  @Test
  void anErrorRatioThatIsNoDataWhileNothingFailsIsAdmittedWithAWarning() throws Exception {
    keys.use(issued);
    server = WebhookServer.start("127.0.0.1", 0, keys);

    var answer =
        post(
            issued,
            review(
                "AnalysisTemplate",
                "{\"spec\":{\"metrics\":[{\"name\":\"errors\","
                    + "\"successCondition\":\"result[0] <= 0.01\","
                    + "\"provider\":{\"prometheus\":{\"address\":\"http://p:9090\","
                    + "\"query\":\"sum(rate(r{job=\\\"a\\\",code=~\\\"5..\\\"}[1m])) / sum(rate(r{job=\\\"a\\\"}[1m]))\"}}}]}}"));

    var response = Serialization.unmarshal(answer.body(), AdmissionReview.class).getResponse();
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getWarnings())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith(
            "spec.metrics[0].provider.prometheus.query: the numerator of its ratio selects only"
                + " the requests with code=~\"5..\"")
        .endsWith(
            "(sum(rate(r{job=\"a\",code=~\"5..\"}[1m])) or vector(0)) / sum(rate(r{job=\"a\"}[1m]))");
  }

  @Test
  void whatIsNotAReviewIsABadRequest() throws Exception {
    keys.use(issued);
    server = WebhookServer.start("127.0.0.1", 0, keys);

    assertThat(post(issued, "not json").statusCode()).isEqualTo(400);
    assertThat(post(issued, "{\"kind\":\"AdmissionReview\"}").statusCode()).isEqualTo(400);
  }

  @Test
  void aRenewedCertificateIsServedFromTheNextHandshake() throws Exception {
    keys.use(issued);
    server = WebhookServer.start("127.0.0.1", 0, keys);
    var renewed =
        ServingCertificate.renewed(
            issued.caCertificate(),
            issued.caKey(),
            List.of("127.0.0.1"),
            Duration.ofDays(30),
            Instant.now());

    keys.use(renewed);
    var answer = post(issued, review("ConfigMap", "{}"));

    var served = (X509Certificate) answer.sslSession().orElseThrow().getPeerCertificates()[0];
    assertThat(served.getNotAfter().toInstant()).isEqualTo(renewed.notAfter());
    assertThat(served).isNotEqualTo(issued.x509());
  }

  @Test
  void aCertificateIsDueWhenAThirdOfItsLifeIsLeftOrANameIsMissing() {
    var certificate =
        ServingCertificate.issue(List.of("weir-webhook.weir-system.svc"), Duration.ofDays(90), NOW);

    assertThat(certificate.names()).containsExactly("weir-webhook.weir-system.svc");
    assertThat(
            certificate.due(
                List.of("weir-webhook.weir-system.svc"),
                Duration.ofDays(90),
                NOW.plus(Duration.ofDays(59))))
        .isFalse();
    assertThat(
            certificate.due(
                List.of("weir-webhook.weir-system.svc"),
                Duration.ofDays(90),
                NOW.plus(Duration.ofDays(61))))
        .isTrue();
    assertThat(certificate.due(List.of("weir-webhook.other.svc"), Duration.ofDays(90), NOW))
        .isTrue();
    assertThat(certificate.toString()).doesNotContain("PRIVATE KEY");
  }
}
