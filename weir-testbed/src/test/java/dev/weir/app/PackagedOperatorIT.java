package dev.weir.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.testing.Manifests;
import dev.weir.testing.PodKubelet;
import dev.weir.testing.RealControlPlane;
import dev.weir.testing.RolloutScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped application — the Quarkus jar that {@code ./weir} runs — as its own process against
 * the real API server, under the identity and ClusterRole the chart gives it: the wiring,
 * configuration and permissions a user gets, not the reconciler alone.
 */
class PackagedOperatorIT {

  private Process operator;
  private PodKubelet kubelet;

  @AfterEach
  void stop() throws InterruptedException {
    if (operator != null) {
      operator.destroy();
      if (!operator.waitFor(20, TimeUnit.SECONDS)) {
        operator.destroyForcibly().waitFor();
      }
    }
    if (kubelet != null) {
      kubelet.close();
    }
  }

  @Test
  void theApplicationCarriesTheExampleCanaryToPromotion() throws Exception {
    var cluster = RealControlPlane.shared();
    var admin = cluster.admin();
    Manifests.apply(admin, "examples/canary-istio/namespace.yaml");
    Manifests.apply(admin, "examples/canary-istio/services.yaml");
    Manifests.apply(admin, "examples/canary-istio/virtualservice.yaml");
    kubelet = new PodKubelet(admin).start();

    Path jar =
        Path.of(
            System.getProperty(
                "weir.app.jar", "weir-controller/target/quarkus-app/quarkus-run.jar"));
    assertThat(jar).as("the packaged application").exists();
    Path log = jar.getParent().getParent().resolve("packaged-operator.log");
    var process =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            jar.toString());
    // KUBECONFIG is a colon-separated list, and the identity's file name has colons in it.
    Path kubeconfig = jar.getParent().getParent().resolve("packaged-operator.kubeconfig");
    Files.copy(cluster.operatorKubeconfig(), kubeconfig, StandardCopyOption.REPLACE_EXISTING);
    process.environment().put("KUBECONFIG", kubeconfig.toString());
    process.environment().put("QUARKUS_HTTP_PORT", "0");
    process.environment().put("WEIR_METRICS_PORT", "0");
    process.redirectErrorStream(true).redirectOutput(log.toFile());
    operator = process.start();

    var rollout = Manifests.compressedClassicCanary();
    admin.resource(rollout).create();
    var checkout = new RolloutScenario(admin, "shop", "checkout");
    try {
      String v1 = checkout.awaitStatus("v1 healthy", s -> s.phase == RolloutPhase.Healthy).stableRS;

      checkout.setImage("registry.example/checkout:2.5.0");
      var paused =
          checkout.awaitStatus(
              "v2 at the manual pause",
              s -> s.phase == RolloutPhase.Paused && s.currentStepIndex == 1);
      assertThat(checkout.canaryWeight("checkout", "primary", "checkout-canary")).isEqualTo(10);

      checkout.promote();
      var done =
          checkout.awaitStatus(
              "v2 promoted",
              s -> paused.currentPodHash.equals(s.stableRS) && s.phase == RolloutPhase.Healthy);
      assertThat(done.stableRS).isNotEqualTo(v1);
      assertThat(checkout.serviceSelectorHash("checkout-stable")).isEqualTo(done.stableRS);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\napplication log:\n" + tail(log), e);
    }
    assertThat(operator.isAlive()).as("the application is still running").isTrue();
  }

  private static String tail(Path log) throws java.io.IOException {
    var lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
