package dev.weir.testing;

import static org.awaitility.Awaitility.await;

import dev.weir.admission.AdmissionWebhook;
import dev.weir.admission.IssuedCertificates;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Weir's admission webhook served in the test's JVM on loopback and called by the real API server
 * over TLS, as the chart installs it: two webhooks, {@code rollouts.weir.dev} and {@code
 * analysis.weir.dev}, failing closed. Weir issues the certificate, keeps it in its Secret and
 * writes the caBundle, under the rules the chart grants it for that (files/webhook-rules.yaml and
 * files/webhook-secret-rules.yaml). A selector keeps the other tests of the shared control plane
 * from meeting it; closing it removes its configuration.
 */
public final class LoopbackWebhook implements AutoCloseable {

  /** The Secret the chart's rules let Weir keep its certificate in. */
  public static final String SECRET = "weir-webhook-tls";

  private final KubernetesClient admin;
  private final String configuration;
  private final AdmissionWebhook webhook;

  private LoopbackWebhook(KubernetesClient admin, String configuration, AdmissionWebhook webhook) {
    this.admin = admin;
    this.configuration = configuration;
    this.webhook = webhook;
  }

  /** Namespaced objects only of namespaces with these labels (cluster-scoped ones always). */
  public static LoopbackWebhook forNamespaces(
      RealControlPlane cluster, String configuration, String secretNamespace, String label) {
    return start(cluster, configuration, secretNamespace, null, selector(label));
  }

  /** Only objects that carry this label, set to {@code "true"}. */
  public static LoopbackWebhook forObjects(
      RealControlPlane cluster, String configuration, String secretNamespace, String label) {
    return start(cluster, configuration, secretNamespace, selector(label), null);
  }

  private static LabelSelector selector(String label) {
    var selector = new LabelSelector();
    selector.setMatchLabels(Map.of(label, "true"));
    return selector;
  }

  private static LoopbackWebhook start(
      RealControlPlane cluster,
      String configuration,
      String secretNamespace,
      LabelSelector objects,
      LabelSelector namespaces) {
    var admin = cluster.admin();
    admin
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(secretNamespace)
                .endMetadata()
                .build())
        .createOr(NonDeletingOperation::update);
    var identity =
        cluster.identity(
            "weir-webhook-" + configuration, "weir-webhook-" + configuration, rules(configuration));
    int port = freePort();
    // The configuration exists before the webhook starts, as the chart installs it.
    String url = "https://127.0.0.1:" + port + "/validate";
    admin
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .resource(
            new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(configuration)
                .endMetadata()
                .withWebhooks(
                    webhook("rollouts.weir.dev", url, objects, namespaces, "rollouts"),
                    webhook(
                        "analysis.weir.dev",
                        url,
                        objects,
                        namespaces,
                        "analysistemplates",
                        "clusteranalysistemplates",
                        "analysisruns"),
                    webhook(
                        "notifications.weir.dev", url, objects, namespaces, "notificationpolicies"))
                .build())
        .createOr(NonDeletingOperation::update);
    var webhook =
        AdmissionWebhook.start(
            "127.0.0.1",
            port,
            new IssuedCertificates(
                identity,
                secretNamespace,
                SECRET,
                configuration,
                List.of("127.0.0.1"),
                Duration.ofDays(365),
                Clock.systemUTC()),
            Duration.ofMinutes(1));
    var started = new LoopbackWebhook(admin, configuration, webhook);
    started.awaitCaBundle();
    return started;
  }

  private static ValidatingWebhook webhook(
      String name,
      String url,
      LabelSelector objects,
      LabelSelector namespaces,
      String... resources) {
    return new ValidatingWebhookBuilder()
        .withName(name)
        .withAdmissionReviewVersions("v1")
        .withSideEffects("None")
        // Fail closed: a webhook that cannot answer must show in the test, not let objects by.
        .withFailurePolicy("Fail")
        .withTimeoutSeconds(5)
        .withNewClientConfig()
        .withUrl(url)
        .endClientConfig()
        .addNewRule()
        .withApiGroups("weir.dev")
        .withApiVersions("v1alpha1")
        .withOperations("CREATE", "UPDATE")
        .withResources(resources)
        .endRule()
        .withObjectSelector(objects)
        .withNamespaceSelector(namespaces)
        .build();
  }

  /** The chart's rules for the webhook, plus its Secret rules (a Role in the chart). */
  private static List<PolicyRule> rules(String configuration) {
    var rules = new ArrayList<>(RealControlPlane.chartRules());
    rules.addAll(RealControlPlane.rules("helm/weir/files/webhook-secret-rules.yaml"));
    // The chart grants these for its own configuration's name; a test's is another.
    for (PolicyRule rule : RealControlPlane.rules("helm/weir/files/webhook-rules.yaml")) {
      rule.setResourceNames(List.of(configuration));
      rules.add(rule);
    }
    return rules;
  }

  private static int freePort() {
    try (var free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return free.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The API server calls the webhook once Weir has written its caBundle. */
  public void awaitCaBundle() {
    await("the caBundle written by Weir")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                admin
                    .admissionRegistration()
                    .v1()
                    .validatingWebhookConfigurations()
                    .withName(configuration)
                    .get()
                    .getWebhooks()
                    .stream()
                    .allMatch(w -> w.getClientConfig().getCaBundle() != null));
  }

  @Override
  public void close() {
    try {
      admin
          .admissionRegistration()
          .v1()
          .validatingWebhookConfigurations()
          .withName(configuration)
          .delete();
    } finally {
      webhook.close();
    }
  }
}
