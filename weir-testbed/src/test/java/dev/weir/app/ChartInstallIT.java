package dev.weir.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.testing.ControllerImage;
import dev.weir.testing.Helm;
import dev.weir.testing.ImagePod;
import dev.weir.testing.Manifests;
import dev.weir.testing.PodKubelet;
import dev.weir.testing.RealControlPlane;
import dev.weir.testing.RolloutScenario;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chart installed on the real control plane: its rendered manifests applied as they are, then
 * the controller image ({@code hack/image.sh}) the Deployment names run twice as a kubelet would
 * run its two replicas ({@link ImagePod}): as the pod's user on a read-only root, with the
 * Deployment's environment and the chart's ServiceAccount's token (so with exactly the chart's
 * ClusterRole and leader-election Role, through the in-cluster configuration). Both answer the
 * Deployment's readiness and liveness probes. One replica leads; killing it mid-rollout hands the
 * rollout to the other, which finishes it without repeating or skipping a step.
 */
class ChartInstallIT {

  private static final String RELEASE_NAMESPACE = "weir-chart";
  private static final Duration LEASE = Duration.ofSeconds(6);

  private final Map<String, ImagePod> replicas = new HashMap<>();
  private PodKubelet kubelet;

  @AfterEach
  void stop() throws InterruptedException {
    for (ImagePod pod : replicas.values()) {
      pod.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    // The other tests of this control plane apply the example into shop afresh.
    RealControlPlane.shared().clean("shop");
  }

  @Test
  void theInstalledChartRunsARolloutAndTheFollowerFinishesItWhenTheLeaderDies() throws Exception {
    var cluster = RealControlPlane.shared();
    var admin = cluster.admin();
    admin
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(RELEASE_NAMESPACE)
                .endMetadata()
                .build())
        .createOr(NonDeletingOperation::update);
    List<HasMetadata> rendered =
        // A release name of its own: the other tests' operator identity uses weir-controller.
        Helm.template(
            "weir-chart",
            RELEASE_NAMESPACE,
            "leaderElection.leaseDuration=" + LEASE.toSeconds() + "s",
            "leaderElection.renewDeadline=4s",
            "leaderElection.retryPeriod=1s");
    for (HasMetadata object : rendered) {
      admin.resource(object).createOr(NonDeletingOperation::update);
    }
    Manifests.apply(admin, "examples/canary-istio/namespace.yaml");
    Manifests.apply(admin, "examples/canary-istio/services.yaml");
    Manifests.apply(admin, "examples/canary-istio/virtualservice.yaml");
    kubelet = new PodKubelet(admin).start();

    var deployment =
        rendered.stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    var image = ControllerImage.shared();
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).as("the chart's image").isEqualTo(image.name());
    var podSecurity = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
    String user = podSecurity.getRunAsUser() + ":" + podSecurity.getRunAsGroup();
    assertThat(image.user()).as("the image's own user is the pod's").isEqualTo(user);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    Path serviceAccount =
        ImagePod.serviceAccountFiles(
            Path.of("weir-testbed/target/image/serviceaccount"),
            cluster,
            RELEASE_NAMESPACE,
            "weir");
    for (int i = 0; i < deployment.getSpec().getReplicas(); i++) {
      String name = "weir-controller-" + i;
      var pod = startReplica(image, container, user, name, serviceAccount);
      replicas.put(name, pod);
      var java = pod.java();
      assertThat(ImagePod.status(java, "Uid:"))
          .as("uids of " + name)
          .isEqualTo("10001\t10001\t10001\t10001");
      assertThat(ImagePod.rootMountOptions(java)).as("root of " + name).startsWith("ro");
    }

    String leader = awaitLeader(admin, null);
    assertThat(replicas).containsKey(leader);
    // The Deployment's probes, as the kubelet would send them, answer on both replicas.
    for (var replica : replicas.entrySet()) {
      int port = replica.getValue().httpPort();
      for (Probe probe : List.of(container.getReadinessProbe(), container.getLivenessProbe())) {
        String path = probe.getHttpGet().getPath();
        await(replica.getKey() + " answering " + path)
            .atMost(Duration.ofSeconds(30))
            .until(() -> ImagePod.probe(port, path) == 200);
      }
    }

    var rollout = Manifests.compressedClassicCanary();
    // A longer pause at step 3, so that the leader dies while the release is under way.
    rollout.getSpec().strategy.canary.steps.get(3).pause.duration = new IntOrString("4s");
    admin.resource(rollout).createOr(NonDeletingOperation::update);
    var checkout = new RolloutScenario(admin, "shop", "checkout");
    try {
      String v1 = checkout.awaitStatus("v1 healthy", s -> s.phase == RolloutPhase.Healthy).stableRS;
      checkout.setImage("registry.example/checkout:2.5.0");
      checkout.awaitStatus(
          "v2 at the manual pause", s -> s.phase == RolloutPhase.Paused && s.currentStepIndex == 1);
      checkout.promote();
      checkout.awaitStatus("v2 at the 30 % pause", s -> s.currentStepIndex == 3);

      replicas.remove(leader).kill();
      long killed = System.nanoTime();
      String follower = awaitLeader(admin, leader);
      Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
      assertThat(takeover).isLessThan(LEASE.multipliedBy(2).plusSeconds(5));

      var done =
          checkout.awaitStatus(
              "v2 promoted by " + follower,
              s -> s.phase == RolloutPhase.Healthy && !v1.equals(s.stableRS));
      assertThat(done.stableRS).isEqualTo(done.currentPodHash);
      var weights =
          admin.v1().events().inNamespace("shop").list().getItems().stream()
              .filter(e -> "checkout".equals(e.getInvolvedObject().getName()))
              .filter(e -> "WeightSet".equals(e.getReason()))
              .map(e -> e.getMessage())
              .toList();
      assertThat(weights)
          .as("each step's weight set once, none skipped")
          .containsExactlyInAnyOrder(
              "canary weight 10% at step 1/6",
              "canary weight 30% at step 3/6", "canary weight 60% at step 5/6");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + logs(), e);
    }
  }

  private static String awaitLeader(
      io.fabric8.kubernetes.client.KubernetesClient admin, String notThis) {
    var holder = new String[1];
    await("a leader other than " + notThis)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Lease lease =
                  admin.leases().inNamespace(RELEASE_NAMESPACE).withName("weir-controller").get();
              holder[0] =
                  lease == null || lease.getSpec() == null
                      ? null
                      : lease.getSpec().getHolderIdentity();
              return holder[0] != null && !holder[0].equals(notThis);
            });
    return holder[0];
  }

  private ImagePod startReplica(
      ControllerImage image, Container container, String user, String pod, Path serviceAccount)
      throws Exception {
    var env = new HashMap<String, String>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue().replace("$(POD_NAME)", pod));
      }
    }
    env.put("POD_NAME", pod);
    env.put("POD_NAMESPACE", RELEASE_NAMESPACE);
    // The kubernetes Service, as the kubelet announces it to every container.
    URI server = URI.create(RealControlPlane.shared().admin().getMasterUrl().toString());
    env.put("KUBERNETES_SERVICE_HOST", server.getHost());
    env.put("KUBERNETES_SERVICE_PORT", Integer.toString(server.getPort()));
    // Both replicas share this machine's network: free ports instead of the pod's.
    env.put("QUARKUS_HTTP_PORT", "0");
    env.put("WEIR_METRICS_PORT", "0");
    return ImagePod.start(image, user, serviceAccount, env, log(pod));
  }

  private static Path log(String pod) {
    return Path.of("weir-testbed/target/image/chart-" + pod + ".log");
  }

  private String logs() {
    var out = new ArrayList<String>();
    for (int i = 0; i < 2; i++) {
      Path log = log("weir-controller-" + i);
      try {
        var lines = Files.readAllLines(log);
        out.add(
            log
                + ":\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
      } catch (java.io.IOException e) {
        out.add(log + ": " + e.getMessage());
      }
    }
    return String.join("\n", out);
  }
}
