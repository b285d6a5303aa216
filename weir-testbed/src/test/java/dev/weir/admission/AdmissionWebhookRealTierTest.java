package dev.weir.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.KubectlWeir;
import dev.weir.testing.LoopbackWebhook;
import dev.weir.testing.Manifests;
import dev.weir.testing.RealControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  static LoopbackWebhook webhook;
  static KubectlWeir kubectl;
  static Path work;

  @BeforeAll
  static void webhookCalledByTheApiServer() throws IOException {
    cluster = RealControlPlane.shared();
    cluster.clean(NAMESPACE);
    webhook = LoopbackWebhook.forObjects(cluster, CONFIGURATION, NAMESPACE, SELECTED);
    kubectl = new KubectlWeir(cluster.dir().resolve("admin.kubeconfig"));
    work = Files.createTempDirectory("weir-admission-");
  }

  @AfterAll
  static void removeTheWebhook() {
    if (webhook != null) {
      webhook.close();
    }
  }

  /** The webhook is called once Weir has written its caBundle. */
  private static void awaitCaBundle() {
    webhook.awaitCaBundle();
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
  void anErrorRatioThatIsNoDataWhileNothingFailsIsAdmittedWithAWarning() throws IOException {
    awaitCaBundle();
    String template =
        """
        apiVersion: weir.dev/v1alpha1
        kind: AnalysisTemplate
        metadata:
          name: error-rate
          namespace: %s
          labels: {%s: "true"}
        spec:
          metrics:
            - name: error-rate
              successCondition: "result[0] <= 0.01"
              provider:
                prometheus:
                  address: http://prometheus.monitoring:9090
                  query: >-
                    sum(rate(istio_requests_total{app="shop",response_code=~"5.*"}[1m]))
                    / sum(rate(istio_requests_total{app="shop"}[1m]))
        """
            .formatted(NAMESPACE, SELECTED);

    var admitted = kubectl.kubectl("apply", "-f", manifest("error-rate.yaml", template).toString());

    assertThat(admitted.exitCode()).as(admitted.both()).isZero();
    assertThat(admitted.out()).contains("analysistemplate.weir.dev/error-rate");
    assertThat(admitted.err())
        .contains(
            "Warning: spec.metrics[0].provider.prometheus.query: the numerator of its ratio"
                + " selects only the requests with response_code=~\"5.*\"")
        .contains("or vector(0))");
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
