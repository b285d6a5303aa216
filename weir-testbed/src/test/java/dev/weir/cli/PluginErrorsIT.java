package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.KubectlWeir;
import dev.weir.testing.Manifests;
import dev.weir.testing.RealControlPlane;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@code kubectl weir} fails, through the real kubectl against the real API server: in
 * kubectl's words, on one line of stderr, with exit code 1 and no stack trace.
 */
class PluginErrorsIT {

  static final String VIEWER = "weir-test-viewer";

  static RealControlPlane cluster;

  KubernetesClient admin;
  Path adminKubeconfig;
  KubectlWeir kubectl;

  @BeforeAll
  static void controlPlane() {
    cluster = RealControlPlane.shared();
  }

  @BeforeEach
  void givenARolloutInShop() {
    cluster.clean("shop");
    admin = cluster.admin();
    Manifests.apply(admin, "examples/canary-istio/namespace.yaml");
    admin.resource(Manifests.compressedClassicCanary()).create();
    adminKubeconfig = cluster.dir().resolve("admin.kubeconfig");
    kubectl = new KubectlWeir(adminKubeconfig);
  }

  @AfterEach
  void removeTheViewer() {
    admin.rbac().clusterRoleBindings().withName(VIEWER).delete();
    admin.rbac().clusterRoles().withName(VIEWER).delete();
  }

  static void assertFailsWith(KubectlWeir.Result result, String line) {
    assertThat(result.exitCode()).as(result.both()).isEqualTo(1);
    assertThat(result.err()).as(result.both()).isEqualTo(line + "\n");
    assertThat(result.out()).as(result.both()).isEmpty();
  }

  @Test
  void aMissingRolloutIsNotFound() {
    String notFound = "Error from server (NotFound): rollouts.weir.dev \"nope\" not found";

    assertFailsWith(kubectl.weir("get", "rollout", "nope", "-n", "shop"), notFound);
    assertFailsWith(kubectl.weir("promote", "nope", "-n", "shop"), notFound);
    assertFailsWith(kubectl.weir("status", "nope", "-n", "shop"), notFound);
    assertFailsWith(kubectl.weir("restart", "nope", "-n", "shop"), notFound);
  }

  @Test
  void aMissingPermissionIsForbiddenNamingTheVerbAndTheResource() throws IOException {
    // A release in progress, as far as status says: promote gets as far as its patch.
    admin
        .resources(dev.weir.api.v1alpha1.Rollout.class)
        .inNamespace("shop")
        .withName("checkout")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"stableRS\":\"aaa\",\"currentPodHash\":\"bbb\",\"currentStepIndex\":1}}");
    List<PolicyRule> readOnly =
        List.of(
            new PolicyRuleBuilder()
                .withApiGroups("weir.dev")
                .withResources("rollouts")
                .withVerbs("get", "list", "watch")
                .build(),
            new PolicyRuleBuilder()
                .withApiGroups("apps")
                .withResources("replicasets")
                .withVerbs("get", "list", "watch")
                .build());
    cluster.identity(VIEWER, VIEWER, readOnly);
    var viewer = new KubectlWeir(cluster.dir().resolve(VIEWER + ".kubeconfig"));

    var get = viewer.weir("get", "rollout", "checkout", "-n", "shop");
    assertThat(get.exitCode()).as("no right to list AnalysisRuns: the tree without them").isZero();
    assertThat(get.out()).as(get.both()).contains("checkout").doesNotContain("AnalysisRun");
    assertFailsWith(
        viewer.weir("promote", "checkout", "-n", "shop"),
        "Error from server (Forbidden): rollouts.weir.dev \"checkout\" is forbidden: User \""
            + VIEWER
            + "\" cannot patch resource \"rollouts/status\" in API group \"weir.dev\" in the"
            + " namespace \"shop\"");
    assertFailsWith(
        viewer.weir("pause", "checkout", "-n", "shop"),
        "Error from server (Forbidden): rollouts.weir.dev \"checkout\" is forbidden: User \""
            + VIEWER
            + "\" cannot patch resource \"rollouts\" in API group \"weir.dev\" in the namespace"
            + " \"shop\"");
  }

  @Test
  void noReachableClusterIsSaidAsKubectlSaysIt() throws IOException {
    int closed;
    try (var socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Path unreachable = Files.createTempFile("unreachable-", ".kubeconfig");
    Files.writeString(
        unreachable,
        Files.readString(adminKubeconfig)
            .replaceAll(
                "server: https://127\\.0\\.0\\.1:\\d+", "server: https://127.0.0.1:" + closed));

    assertFailsWith(
        new KubectlWeir(unreachable).weir("get", "rollout", "checkout", "-n", "shop"),
        "The connection to the server 127.0.0.1:"
            + closed
            + " was refused - did you specify the right host or port?");
    assertFailsWith(
        kubectl.weir("get", "rollout", "checkout", "--context", "nope"),
        "error: context \"nope\" does not exist");
    assertFailsWith(
        new KubectlWeir(Path.of("/nonexistent/kubeconfig"))
            .weir("list", "rollouts", "--kubeconfig", "/nonexistent/kubeconfig"),
        "error: stat /nonexistent/kubeconfig: no such file or directory");
    assertFailsWith(
        new KubectlWeir(Path.of("/nonexistent/kubeconfig")).weir("list", "rollouts"),
        "error: no configuration has been provided: set KUBECONFIG, create ~/.kube/config, or"
            + " pass --kubeconfig");
  }

  @Test
  void onlyTheClusterCaIsTrustedUnlessTheKubeconfigSaysInsecure() throws IOException {
    String config = Files.readString(adminKubeconfig);
    // The client certificate as the CA: a certificate that did not sign the server's.
    String clientCert = value(config, "client-certificate-data");
    Path wrongCa = Files.createTempFile("wrong-ca-", ".kubeconfig");
    Files.writeString(
        wrongCa,
        config.replaceAll(
            "certificate-authority-data: \\S+", "certificate-authority-data: " + clientCert));
    Path insecure = Files.createTempFile("insecure-", ".kubeconfig");
    Files.writeString(
        insecure,
        config.replaceAll("certificate-authority-data: \\S+", "insecure-skip-tls-verify: true"));

    assertFailsWith(
        new KubectlWeir(wrongCa).weir("get", "rollout", "checkout", "-n", "shop"),
        "Unable to connect to the server: tls: failed to verify certificate: x509: certificate"
            + " signed by unknown authority");
    var skipped = new KubectlWeir(insecure).weir("get", "rollout", "checkout", "-n", "shop");
    assertThat(skipped.exitCode()).as(skipped.both()).isZero();
    assertThat(skipped.out()).startsWith("Name:            checkout\n");
  }

  private static String value(String kubeconfig, String key) {
    return kubeconfig
        .lines()
        .filter(l -> l.trim().startsWith(key + ":"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim())
        .findFirst()
        .orElseThrow();
  }
}
