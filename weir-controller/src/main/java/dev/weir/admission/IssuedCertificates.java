package dev.weir.admission;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Certificates Weir issues itself, kept in one Secret of its namespace so that every replica serves
 * the same one: whichever replica finds it missing, expiring or lacking a name issues a new one and
 * writes it with the resourceVersion it read (a replica that lost the race reads the winner's). The
 * authority outlives many serving certificates, so renewing one leaves the webhook configuration's
 * caBundle as it was; Weir writes the caBundle when it differs (a first install, a new authority).
 */
public final class IssuedCertificates implements CertificateSource {

  static final String CA_CERT = "ca.crt";
  static final String CA_KEY = "ca.key";
  static final String CERT = "tls.crt";
  static final String KEY = "tls.key";
  private static final Logger LOG = Logger.getLogger(IssuedCertificates.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String secret;
  private final String webhookConfiguration;
  private final List<String> names;
  private final Duration validity;
  private final Clock clock;

  /**
   * @param webhookConfiguration the ValidatingWebhookConfiguration whose caBundle to keep, or null
   * @param names the DNS names and IP addresses the API server calls the webhook by
   */
  public IssuedCertificates(
      KubernetesClient client,
      String namespace,
      String secret,
      String webhookConfiguration,
      List<String> names,
      Duration validity,
      Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.secret = secret;
    this.webhookConfiguration = webhookConfiguration;
    this.names = List.copyOf(names);
    this.validity = validity;
    this.clock = clock;
  }

  @Override
  public ServingCertificate current() {
    for (int attempt = 1; ; attempt++) {
      Secret kept = client.secrets().inNamespace(namespace).withName(secret).get();
      ServingCertificate certificate = kept == null ? null : read(kept);
      if (certificate != null && !certificate.due(names, validity, clock.instant())) {
        keepCaBundle(certificate);
        return certificate;
      }
      ServingCertificate issued = issue(certificate);
      try {
        write(kept, issued);
        LOG.infof("issued the webhook's serving certificate %s", issued);
        keepCaBundle(issued);
        return issued;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 3) {
          throw e;
        }
        // Another replica wrote first: serve what it issued.
      }
    }
  }

  /** A renewed serving certificate, from the same authority while it outlives the new one. */
  private ServingCertificate issue(ServingCertificate previous) {
    var now = clock.instant();
    if (previous != null && previous.caNotAfter().isAfter(now.plus(validity).plus(validity))) {
      return ServingCertificate.renewed(
          previous.caCertificate(), previous.caKey(), names, validity, now);
    }
    return ServingCertificate.issue(names, validity, now);
  }

  private void write(Secret kept, ServingCertificate certificate) {
    var data =
        Map.of(
            CA_CERT, encode(certificate.caCertificate()),
            CA_KEY, encode(certificate.caKey()),
            CERT, encode(certificate.certificate()),
            KEY, encode(certificate.key()));
    if (kept == null) {
      client
          .secrets()
          .inNamespace(namespace)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(secret)
                  .withNamespace(namespace)
                  .endMetadata()
                  .withType("kubernetes.io/tls")
                  .withData(data)
                  .build())
          .create();
    } else {
      var updated = new SecretBuilder(kept).withData(data).build();
      client.secrets().inNamespace(namespace).resource(updated).update();
    }
  }

  private void keepCaBundle(ServingCertificate certificate) {
    if (webhookConfiguration == null) {
      return;
    }
    String bundle = encode(certificate.caCertificate());
    var configurations = client.admissionRegistration().v1().validatingWebhookConfigurations();
    ValidatingWebhookConfiguration live = configurations.withName(webhookConfiguration).get();
    if (live == null || live.getWebhooks() == null) {
      LOG.warnf(
          "ValidatingWebhookConfiguration %s not found: its caBundle cannot be kept",
          webhookConfiguration);
      return;
    }
    boolean stale =
        live.getWebhooks().stream()
            .anyMatch(w -> !Objects.equals(bundle, w.getClientConfig().getCaBundle()));
    if (stale) {
      live.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(bundle));
      configurations.resource(live).update();
    }
  }

  private static ServingCertificate read(Secret kept) {
    var data = kept.getData();
    if (data == null || !data.keySet().containsAll(List.of(CA_CERT, CA_KEY, CERT, KEY))) {
      return null;
    }
    try {
      var certificate =
          new ServingCertificate(
              decode(data.get(CA_CERT)),
              decode(data.get(CA_KEY)),
              decode(data.get(CERT)),
              decode(data.get(KEY)));
      certificate.notAfter();
      return certificate;
    } catch (IllegalArgumentException e) {
      LOG.warnf(
          "the webhook's Secret holds no usable certificate (%s): issuing one", e.getMessage());
      return null;
    }
  }

  private static String encode(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
  }
}
