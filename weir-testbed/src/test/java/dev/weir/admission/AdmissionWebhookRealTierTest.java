package dev.weir.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.weir.testing.KubectlWeir;
import dev.weir.testing.Manifests;
import dev.weir.testing.RealControlPlane;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admission webhook called by a real kube-apiserver over TLS on loopback, as a user meets it:
 * {@code kubectl apply} of an invalid Rollout or AnalysisTemplate fails with the message that names
 * the field — what an Argo CD or Flux sync would show — and a valid one is admitted. Weir issues
 * the certificate, keeps it in its Secret and writes the caBundle, under the rules the chart grants
 * it for that (files/webhook-rules.yaml and files/webhook-secret-rules.yaml). Only objects labelled
 * for this test are sent to it, so the other stories of the shared control plane never meet it.
 */
class AdmissionWebhookRealTierTest {

  private static final String NAMESPACE = "admission";
  private static final String CONFIGURATION = "weir-admission-test";
  private static final String SELECTED = "weir.dev/admission-test";

  static RealControlPlane cluster;
  static AdmissionWebhook webhook;
  static KubectlWeir kubectl;
  static Path work;

  @BeforeAll
  static void webhookCalledByTheApiServer() throws IOException {
    cluster = RealControlPlane.shared();
    var admin = cluster.admin();
    cluster.clean(NAMESPACE);
    admin.namespaces().resource(namespace()).createOr(n -> n.update());
    var controller =
        cluster.identity(
            "weir-webhook-test",
            "weir-webhook-test",
            webhookRules(),
            new io.fabric8.kubernetes.client.http.Interceptor[0]);
    // The configuration exists before the webhook starts, as the chart installs it.
    int port;
    try (var free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    admin
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .resource(configuration("https://127.0.0.1:" + port + "/validate"))
        .createOr(c -> c.update());
    webhook =
        AdmissionWebhook.start(
            "127.0.0.1",
            port,
            new IssuedCertificates(
                controller,
                NAMESPACE,
                "weir-webhook-tls",
                CONFIGURATION,
                List.of("127.0.0.1"),
                Duration.ofDays(365),
                Clock.systemUTC()),
            Duration.ofMinutes(1));
    kubectl = new KubectlWeir(cluster.dir().resolve("admin.kubeconfig"));
    work = Files.createTempDirectory("weir-admission-");
  }

  @AfterAll
  static void removeTheWebhook() {
    if (cluster != null) {
      cluster
          .admin()
          .admissionRegistration()
          .v1()
          .validatingWebhookConfigurations()
          .withName(CONFIGURATION)
          .delete();
    }
    if (webhook != null) {
      webhook.close();
    }
  }

  private static io.fabric8.kubernetes.api.model.Namespace namespace() {
    return new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata()
        .withName(NAMESPACE)
        .endMetadata()
        .build();
  }

  /** The chart's rules for the webhook, plus its Secret rules (a Role in the chart). */
  private static List<PolicyRule> webhookRules() {
    var rules = new ArrayList<>(RealControlPlane.chartRules());
    rules.addAll(rules("helm/weir/files/webhook-secret-rules.yaml"));
    // The chart grants these for its own configuration's name; this test's is another.
    for (PolicyRule rule : rules("helm/weir/files/webhook-rules.yaml")) {
      rule.setResourceNames(List.of(CONFIGURATION));
      rules.add(rule);
    }
    return rules;
  }

  private static List<PolicyRule> rules(String file) {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      return Serialization.unmarshal(in, new TypeReference<List<PolicyRule>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ValidatingWebhookConfiguration configuration(String url) {
    return new ValidatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(CONFIGURATION)
        .endMetadata()
        .addNewWebhook()
        .withName("rollouts.weir.dev")
        .withAdmissionReviewVersions("v1")
        .withSideEffects("None")
        .withFailurePolicy("Fail")
        .withTimeoutSeconds(5)
        .withNewClientConfig()
        .withUrl(url)
        .endClientConfig()
        .addNewRule()
        .withApiGroups("weir.dev")
        .withApiVersions("v1alpha1")
        .withOperations("CREATE", "UPDATE")
        .withResources("rollouts", "analysistemplates", "clusteranalysistemplates", "analysisruns")
        .endRule()
        .withNewObjectSelector()
        .addToMatchLabels(SELECTED, "true")
        .endObjectSelector()
        .endWebhook()
        .build();
  }

  /** The webhook is called once Weir has written its caBundle. */
  private static void awaitCaBundle() {
    await("the caBundle written by Weir")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              var live =
                  cluster
                      .admin()
                      .admissionRegistration()
                      .v1()
                      .validatingWebhookConfigurations()
                      .withName(CONFIGURATION)
                      .get();
              return live.getWebhooks().get(0).getClientConfig().getCaBundle() != null;
            });
  }

  private static Path manifest(String name, String yaml) throws IOException {
    return Files.writeString(work.resolve(name), yaml);
  }

  private static String rollout(String pause) {
    var rollout =
        Manifests.load("examples/canary-istio/rollout.yaml", dev.weir.api.v1alpha1.Rollout.class);
    rollout.getMetadata().setNamespace(NAMESPACE);
    rollout.getMetadata().setLabels(java.util.Map.of(SELECTED, "true"));
    rollout.getSpec().strategy.canary.steps.get(1).pause.duration =
        new io.fabric8.kubernetes.api.model.IntOrString(pause);
    return Serialization.asYaml(rollout);
  }

  @Test
  void applyingARolloutWithAnUnreadablePauseFailsWithTheField() throws IOException {
    awaitCaBundle();

    var refused =
        kubectl.kubectl("apply", "-f", manifest("bad.yaml", rollout("five minutes")).toString());

    assertThat(refused.exitCode()).as(refused.both()).isEqualTo(1);
    assertThat(refused.err())
        .contains("admission webhook \"rollouts.weir.dev\" denied the request")
        .contains(
            "invalid Rollout (admission by weir.dev): spec.strategy.canary.steps[1].pause.duration");
    assertThat(
            cluster
                .admin()
                .resources(dev.weir.api.v1alpha1.Rollout.class)
                .inNamespace(NAMESPACE)
                .withName("checkout")
                .get())
        .as("nothing was created")
        .isNull();
  }

  @Test
  void aValidRolloutIsAdmitted() throws IOException {
    awaitCaBundle();

    var admitted = kubectl.kubectl("apply", "-f", manifest("good.yaml", rollout("2m")).toString());

    assertThat(admitted.exitCode()).as(admitted.both()).isZero();
    assertThat(admitted.out()).contains("rollout.weir.dev/checkout");
  }

  @Test
  void aTemplateWhoseConditionDoesNotCompileIsRefused() throws IOException {
    awaitCaBundle();
    String template =
        """
        apiVersion: weir.dev/v1alpha1
        kind: AnalysisTemplate
        metadata:
          name: broken
          namespace: %s
          labels: {%s: "true"}
        spec:
          metrics:
            - name: success-rate
              successCondition: "result[0] >= 0.99 &&"
              provider:
                prometheus:
                  address: http://prometheus.monitoring:9090
                  query: vector(1)
        """
            .formatted(NAMESPACE, SELECTED);

    var refused = kubectl.kubectl("apply", "-f", manifest("template.yaml", template).toString());

    assertThat(refused.exitCode()).as(refused.both()).isEqualTo(1);
    assertThat(refused.err()).contains("spec.metrics[0].successCondition");
  }

  @Test
  void weirKeepsItsCertificateInItsSecret() {
    awaitCaBundle();
    KubernetesClient admin = cluster.admin();

    var secret = admin.secrets().inNamespace(NAMESPACE).withName("weir-webhook-tls").get();

    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.getData()).containsKeys("ca.crt", "tls.crt", "tls.key");
  }
}
