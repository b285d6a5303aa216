package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.testing.Helm;
import dev.weir.testing.RealControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart as {@code helm lint} and {@code helm template} see it, with the real helm binary. */
class HelmChartTest {

  @Test
  void theChartLintsCleanInBothRbacModes() {
    assertThat(Helm.run("lint", Helm.CHART.toString())).contains("0 chart(s) failed");
    assertThat(
            Helm.run(
                "lint",
                Helm.CHART.toString(),
                "--set",
                "rbac.namespaced=true",
                "--set",
                "watchNamespaces={shop}",
                "--set",
                "metrics.serviceMonitor.enabled=true"))
        .contains("0 chart(s) failed");
  }

  @Test
  void theDeploymentRunsTwoLeaderElectedNonRootReplicasWithProbesAndLimits() {
    var objects = Helm.template("weir", "weir-system");
    var deployment = only(objects, Deployment.class);
    var spec = deployment.getSpec().getTemplate().getSpec();
    var container = spec.getContainers().get(0);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(spec.getServiceAccountName()).isEqualTo("weir");
    assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    var env =
        container.getEnv().stream()
            .filter(e -> e.getValue() != null)
            .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env)
        .containsEntry("WEIR_LEADER_ELECTION_ENABLED", "true")
        .containsEntry("WEIR_LEADER_ELECTION_NAMESPACE", "weir-system")
        .containsEntry("WEIR_METRICS_PORT", "8090");
    assertThat(container.getPorts())
        .anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(8090));

    var metrics = only(objects, Service.class);
    assertThat(metrics.getSpec().getPorts().get(0).getPort()).isEqualTo(8090);
    assertThat(metrics.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void theImageIsTheOneHackImageShBuildsUnlessTheValuesNameAnother() throws Exception {
    String appVersion =
        Files.readAllLines(Path.of("helm/weir/Chart.yaml")).stream()
            .filter(l -> l.startsWith("appVersion:"))
            .map(l -> l.substring("appVersion:".length()).strip().replace("\"", ""))
            .findFirst()
            .orElseThrow();

    assertThat(imageOf(Helm.template("weir", "weir-system"))).isEqualTo("weir:" + appVersion);
    assertThat(
            imageOf(
                Helm.template(
                    "weir",
                    "weir-system",
                    "image.repository=registry.example/platform/weir",
                    "image.tag=0.1.0-rc1")))
        .isEqualTo("registry.example/platform/weir:0.1.0-rc1");
  }

  private static String imageOf(List<HasMetadata> objects) {
    return only(objects, Deployment.class)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }

  @Test
  void theClusterRoleIsExactlyTheRulesTheTestsRunUnderAndLeasesAreARoleInTheReleaseNamespace() {
    var objects = Helm.template("weir", "weir-system");
    var clusterRole = only(objects, ClusterRole.class);
    assertThat(clusterRole.getRules()).isEqualTo(RealControlPlane.chartRules());
    var leases = only(objects, Role.class);
    assertThat(leases.getMetadata().getNamespace()).isEqualTo("weir-system");
    assertThat(leases.getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getResources()).containsExactly("leases");
              assertThat(r.getVerbs())
                  .containsExactlyInAnyOrder("get", "create", "update", "patch");
            });
  }

  @Test
  void theNamespacedModeGrantsARoleInEachWatchedNamespaceAndOnlyClusterScopedReads() {
    var objects =
        Helm.template(
            "weir", "weir-system", "rbac.namespaced=true", "watchNamespaces={shop,payments}");
    var roles =
        objects.stream()
            .filter(Role.class::isInstance)
            .map(Role.class::cast)
            .filter(r -> r.getMetadata().getName().equals("weir-controller"))
            .toList();
    assertThat(roles)
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("shop", "payments");
    assertThat(roles)
        .allSatisfy(r -> assertThat(r.getRules()).isEqualTo(RealControlPlane.chartRules()));
    var clusterRole = only(objects, ClusterRole.class);
    assertThat(clusterRole.getMetadata().getName()).isEqualTo("weir-cluster-reads");
    assertThat(clusterRole.getRules())
        .allSatisfy(r -> assertThat(r.getVerbs()).isSubsetOf("get", "list", "watch"));

    assertThatThrownBy(() -> Helm.template("weir", "weir-system", "rbac.namespaced=true"))
        .hasMessageContaining("rbac.namespaced needs watchNamespaces");
  }

  @Test
  void secretReadingCanBeScopedToTheWatchedNamespacesWhileTheRestStaysClusterWide() {
    var objects =
        Helm.template(
            "weir",
            "weir-system",
            "rbac.namespacedSecrets=true",
            "watchNamespaces={shop,payments}");
    var clusterRole = only(objects, ClusterRole.class);
    assertThat(clusterRole.getRules())
        .isEqualTo(RealControlPlane.rules(RealControlPlane.RBAC_RULES));
    assertThat(clusterRole.getRules())
        .noneSatisfy(r -> assertThat(r.getResources()).contains("secrets"));
    var secretRoles =
        objects.stream()
            .filter(Role.class::isInstance)
            .map(Role.class::cast)
            .filter(r -> r.getMetadata().getName().equals("weir-analysis-secrets"))
            .toList();
    assertThat(secretRoles)
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("shop", "payments");
    assertThat(secretRoles)
        .allSatisfy(
            r ->
                assertThat(r.getRules())
                    .singleElement()
                    .satisfies(
                        rule -> {
                          assertThat(rule.getResources()).containsExactly("secrets");
                          assertThat(rule.getVerbs())
                              .as("reads by label; copies of configSnapshots made and deleted")
                              .containsExactlyInAnyOrder("list", "watch", "create", "delete");
                        }));
    assertThat(objects)
        .filteredOn(o -> o.getKind().equals("RoleBinding"))
        .extracting(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
        .contains("shop/weir-analysis-secrets", "payments/weir-analysis-secrets");

    assertThat(only(Helm.template("weir", "weir-system"), ClusterRole.class).getRules())
        .as("by default, the ClusterRole reads Secrets (only opted-in ones are asked for)")
        .anySatisfy(r -> assertThat(r.getResources()).containsExactly("secrets"));
    assertThatThrownBy(() -> Helm.template("weir", "weir-system", "rbac.namespacedSecrets=true"))
        .hasMessageContaining("rbac.namespacedSecrets needs watchNamespaces");
  }

  @Test
  void theAllowedGitAddressesAreTheControllersSetting() {
    var env = controllerEnv("gitops.allowedAddresses={https://github.com/example}");
    assertThat(env)
        .filteredOn(e -> e.getName().equals("WEIR_GITOPS_ALLOWED_ADDRESSES"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("https://github.com/example"));
    assertThat(controllerEnv())
        .as("none allowed by default")
        .noneSatisfy(e -> assertThat(e.getName()).startsWith("WEIR_GITOPS"));
  }

  @Test
  void theScalingValuesAreTheControllersWorkersResyncAndClientRate() {
    var env =
        controllerEnv("scaling.workers=8,scaling.resync=10m,scaling.clientQps=50").stream()
            .collect(Collectors.toMap(EnvVar::getName, e -> String.valueOf(e.getValue())));

    assertThat(env)
        .containsEntry("QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS", "8")
        .containsEntry("WEIR_RECONCILE_RESYNC", "10m")
        .containsEntry("WEIR_RECONCILE_RESYNC_JITTER", "0.2")
        .containsEntry("WEIR_CLIENT_QPS", "50")
        .containsEntry("WEIR_CLIENT_BURST", "400");
  }

  @Test
  void theAllowedNotificationAddressesAreTheControllersSetting() {
    var env =
        controllerEnv(
            "notifications.allowedAddresses={https://hooks.slack.com,https://releases.example/hooks}");
    assertThat(env)
        .filteredOn(e -> e.getName().equals("WEIR_NOTIFICATIONS_ALLOWED_ADDRESSES"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValue())
                    .isEqualTo("https://hooks.slack.com,https://releases.example/hooks"));
    assertThat(controllerEnv())
        .as("none allowed by default")
        .noneSatisfy(e -> assertThat(e.getName()).startsWith("WEIR_NOTIFICATIONS"));
  }

  @Test
  void theAllowedPrometheusAddressesIncludeTheDefaultAndTheTlsFilesAreMounted() {
    var objects =
        Helm.template(
            "weir",
            "weir-system",
            "prometheus.address=http://prometheus-operated.monitoring:9090",
            "prometheus.allowedAddresses={https://thanos.monitoring:10902}",
            "prometheus.tls.caConfigMap.name=monitoring-ca",
            "prometheus.tls.clientCertSecret=weir-prometheus-client");
    var pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    var env =
        container.getEnv().stream()
            .filter(e -> e.getValue() != null)
            .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env)
        .containsEntry(
            "WEIR_PROMETHEUS_ALLOWED_ADDRESSES",
            "http://prometheus-operated.monitoring:9090,https://thanos.monitoring:10902")
        .containsEntry("WEIR_PROMETHEUS_TLS_CA_FILE", "/etc/weir/prometheus-ca/ca.crt")
        .containsEntry("WEIR_PROMETHEUS_TLS_CERT_FILE", "/etc/weir/prometheus-client/tls.crt")
        .containsEntry("WEIR_PROMETHEUS_TLS_KEY_FILE", "/etc/weir/prometheus-client/tls.key");
    assertThat(container.getVolumeMounts())
        .filteredOn(m -> m.getName().startsWith("prometheus-"))
        .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue())
        .extracting(m -> m.getMountPath())
        .containsExactlyInAnyOrder("/etc/weir/prometheus-ca", "/etc/weir/prometheus-client");
    var volumes = pod.getVolumes().stream().collect(Collectors.toMap(v -> v.getName(), v -> v));
    assertThat(volumes.get("prometheus-ca").getConfigMap().getName()).isEqualTo("monitoring-ca");
    assertThat(volumes.get("prometheus-ca").getConfigMap().getItems())
        .singleElement()
        .satisfies(i -> assertThat(i.getPath()).isEqualTo("ca.crt"));
    assertThat(volumes.get("prometheus-client").getSecret().getSecretName())
        .isEqualTo("weir-prometheus-client");
    assertThat(volumes.get("prometheus-client").getSecret().getDefaultMode()).isEqualTo(0440);

    var fromSecret =
        only(
                Helm.template(
                    "weir",
                    "weir-system",
                    "prometheus.tls.caSecret.name=monitoring-ca",
                    "prometheus.tls.caSecret.key=root.pem"),
                Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getVolumes();
    assertThat(fromSecret)
        .filteredOn(v -> v.getName().equals("prometheus-ca"))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getSecret().getSecretName()).isEqualTo("monitoring-ca");
              assertThat(v.getSecret().getItems().get(0).getKey()).isEqualTo("root.pem");
            });
    assertThat(controllerEnv())
        .as("nothing allowed but the default address, which is unset")
        .noneSatisfy(e -> assertThat(e.getName()).startsWith("WEIR_PROMETHEUS"));
    assertThatThrownBy(
            () ->
                Helm.template(
                    "weir",
                    "weir-system",
                    "prometheus.tls.caSecret.name=a",
                    "prometheus.tls.caConfigMap.name=b"))
        .hasMessageContaining("caConfigMap or caSecret, not both");
  }

  @Test
  void everyDashboardShipsAsAConfigMapForGrafanasSidecar() throws Exception {
    var objects = Helm.template("weir", "weir-system");
    var configMaps =
        objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast).toList();
    List<Path> dashboards;
    try (var files = Files.list(Path.of("helm/weir/dashboards"))) {
      dashboards = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(dashboards).hasSize(2);
    for (Path file : dashboards) {
      String name = file.getFileName().toString();
      var configMap =
          configMaps.stream().filter(c -> c.getData().containsKey(name)).findFirst().orElseThrow();
      assertThat(configMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
      var mapper = new ObjectMapper();
      assertThat(mapper.readTree(configMap.getData().get(name)))
          .isEqualTo(mapper.readTree(file.toFile()));
    }
  }

  @Test
  void theServiceMonitorComesOnRequestAndSelectsTheMetricsService() {
    assertThat(Helm.template("weir", "weir-system"))
        .noneMatch(o -> o.getKind().equals("ServiceMonitor"));
    var objects = Helm.template("weir", "weir-system", "metrics.serviceMonitor.enabled=true");
    var monitor =
        objects.stream()
            .filter(o -> o.getKind().equals("ServiceMonitor"))
            .findFirst()
            .orElseThrow();
    var service = only(objects, Service.class);
    String yaml = io.fabric8.kubernetes.client.utils.Serialization.asYaml(monitor);
    assertThat(yaml).contains("port: \"metrics\"", "app.kubernetes.io/component: \"metrics\"");
    assertThat(service.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/component", "metrics");
  }

  /** The environment of the controller's container, the chart rendered with these values set. */
  private static List<EnvVar> controllerEnv(String... values) {
    return only(Helm.template("weir", "weir-system", values), Deployment.class)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getEnv();
  }

  private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    var found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).as(type.getSimpleName()).hasSize(1);
    return found.get(0);
  }
}
