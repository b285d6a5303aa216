package dev.weir.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.testing.Lua;
import dev.weir.testing.Manifests;
import dev.weir.testing.ReplicaSetKubelet;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD health check and actions of gitops/argocd, run by lua5.1, and the kstatus rule that
 * Flux's healthChecks apply, over the Rollout objects Weir wrote in a real release: v1 healthy, v2
 * paused for a person, v2 stepping on, v2 aborted, and v2 synced again after a revert (held on
 * stable because it was aborted), then released again by the retry action.
 */
@EnableKubernetesMockClient(crud = true)
class GitOpsHealthTest {

  private static final Path HEALTH = Path.of("gitops/argocd/health.lua");
  private static final Path ACTIONS = Path.of("gitops/argocd/actions");

  KubernetesClient client;
  private RunningWeir weir;
  private ReplicaSetKubelet kubelet;

  @AfterEach
  void stop() {
    if (weir != null) {
      weir.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
  }

  @Test
  void everyPhaseReadsRightToArgoCdAndFluxAndTheActionsDriveTheRelease() {
    var recorded = recordARelease();

    assertThat(health(recorded.get("Healthy"))).startsWith("Healthy\t");
    assertThat(health(recorded.get("Paused"))).startsWith("Suspended\t");
    assertThat(health(recorded.get("Progressing"))).startsWith("Progressing\t");
    assertThat(health(recorded.get("Degraded"))).startsWith("Degraded\trollout aborted");
    ObjectNode unobserved = recorded.get("Healthy").deepCopy();
    ((ObjectNode) unobserved.path("metadata"))
        .put("generation", unobserved.path("status").path("observedGeneration").asLong() + 1);
    assertThat(health(unobserved)).startsWith("Progressing\tWaiting for Weir to observe");
    assertThat(health(((ObjectNode) recorded.get("Healthy").deepCopy()).without("status")))
        .startsWith("Progressing");

    assertThat(kstatus(recorded.get("Healthy"))).isEqualTo("Current");
    assertThat(kstatus(recorded.get("Paused"))).isEqualTo("InProgress");
    assertThat(kstatus(recorded.get("Progressing"))).isEqualTo("InProgress");
    assertThat(kstatus(recorded.get("Degraded"))).isEqualTo("Failed");
    assertThat(kstatus(unobserved)).isEqualTo("InProgress");

    assertThat(enabledActions(recorded.get("Healthy"))).isEmpty();
    assertThat(enabledActions(recorded.get("Paused")))
        .containsExactlyInAnyOrder("promote", "promote-full", "abort");
    assertThat(enabledActions(recorded.get("Progressing")))
        .containsExactlyInAnyOrder("promote", "promote-full", "abort");
    assertThat(enabledActions(recorded.get("Degraded"))).containsExactly("retry");

    String v2 = recorded.get("Held").path("status").path("currentPodHash").asText();
    assertThat(health(recorded.get("Held")))
        .startsWith("Degraded\trevision " + v2 + " was aborted at ")
        .contains("`kubectl weir retry checkout` releases it");
    assertThat(kstatus(recorded.get("Held"))).isEqualTo("Failed");
    assertThat(enabledActions(recorded.get("Held"))).containsExactly("retry");
  }

  /** v1 healthy, v2 at its manual pause, v2 promoted on to a timed pause, v2 aborted. */
  private Map<String, JsonNode> recordARelease() {
    Manifests.applyCrds(client);
    Manifests.apply(client, "examples/canary-istio/namespace.yaml");
    Manifests.apply(client, "examples/canary-istio/services.yaml");
    Manifests.apply(client, "examples/canary-istio/virtualservice.yaml");
    kubelet = new ReplicaSetKubelet(client);
    kubelet.start();
    weir = RunningWeir.start(client);
    var rollout = Manifests.compressedClassicCanary();
    rollout.getSpec().strategy.canary.steps.get(3).pause.duration = new IntOrString("1h");
    client.resource(rollout).create();
    var checkout = new RolloutScenario(client, "shop", "checkout");
    var recorded = new LinkedHashMap<String, JsonNode>();

    checkout.awaitStatus("v1 healthy", s -> s.phase == RolloutPhase.Healthy);
    recorded.put("Healthy", json(checkout.rollout()));
    String v1 = checkout.rollout().getSpec().template.getSpec().getContainers().get(0).getImage();
    checkout.setImage("registry.example/checkout:2.5.0");
    checkout.awaitStatus("v2 at the manual pause", s -> s.phase == RolloutPhase.Paused);
    var paused = json(checkout.rollout());
    recorded.put("Paused", paused);

    // What Argo CD does with the promote action: runs it, and patches the status it returns.
    // The kubelet holds the new canary pods back, so v2 waits for them at 30 %: Progressing.
    kubelet.freeze();
    checkout.patchStatus(statusPatch(action("promote", paused)));
    checkout.awaitStatus(
        "v2 waiting for its pods at 30 %",
        s -> s.currentStepIndex == 2 && s.phase == RolloutPhase.Progressing);
    var progressing = json(checkout.rollout());
    recorded.put("Progressing", progressing);
    kubelet.thaw();
    checkout.awaitStatus("v2 in its timed pause at 30 %", s -> s.currentStepIndex == 3);

    checkout.patchStatus(statusPatch(action("abort", progressing)));
    checkout.awaitStatus("v2 aborted", s -> s.phase == RolloutPhase.Degraded);
    recorded.put("Degraded", json(checkout.rollout()));

    // The revert synced, then v2's commit synced again: held on stable.
    checkout.setImage(v1);
    checkout.awaitStatus("v1 healthy again", s -> s.phase == RolloutPhase.Healthy);
    checkout.setImage("registry.example/checkout:2.5.0");
    checkout.awaitStatus("v2 held", s -> s.phase == RolloutPhase.Degraded);
    var held = json(checkout.rollout());
    recorded.put("Held", held);
    checkout.patchStatus(statusPatch(action("retry", held)));
    checkout.awaitStatus("v2 released again", s -> s.phase == RolloutPhase.Paused);
    return recorded;
  }

  private static JsonNode json(Rollout rollout) {
    return Serialization.jsonMapper().valueToTree(rollout);
  }

  private static String health(JsonNode obj) {
    return Lua.run(HEALTH, obj, "print(result.status .. \"\\t\" .. (result.message or \"\"))");
  }

  private static java.util.List<String> enabledActions(JsonNode obj) {
    String out =
        Lua.run(
            ACTIONS.resolve("discovery.lua"),
            obj,
            "local names = {}\n"
                + "for name, a in pairs(result) do if not a.disabled then table.insert(names, name) end end\n"
                + "table.sort(names)\n"
                + "print(table.concat(names, \",\"))");
    return out.isEmpty() ? java.util.List.of() : java.util.List.of(out.split(","));
  }

  /** The status fields an action set, as {@code promote=Step abort=nil}. */
  private static Map<String, String> action(String name, JsonNode obj) {
    String out =
        Lua.run(
            ACTIONS.resolve(name).resolve("action.lua"),
            obj,
            "print(tostring(result.status.promote) .. \"\\t\" .. tostring(result.status.abort))");
    String[] fields = out.split("\t");
    var set = new LinkedHashMap<String, String>();
    set.put("promote", fields[0]);
    set.put("abort", fields[1]);
    return set;
  }

  private static String statusPatch(Map<String, String> fields) {
    var status = Serialization.jsonMapper().createObjectNode();
    if (!"nil".equals(fields.get("promote"))) {
      status.put("promote", fields.get("promote"));
    }
    if (!"nil".equals(fields.get("abort"))) {
      status.put("abort", Boolean.parseBoolean(fields.get("abort")));
    }
    return "{\"status\":" + status + "}";
  }

  /**
   * kstatus, the rule Flux's healthChecks (and {@code kubectl wait}) apply to a custom resource: an
   * unobserved generation or Reconciling=True is InProgress, Stalled=True is Failed, Ready=False is
   * InProgress, otherwise Current.
   */
  static String kstatus(JsonNode obj) {
    JsonNode status = obj.path("status");
    long generation = obj.path("metadata").path("generation").asLong(0);
    if (status.has("observedGeneration")
        && status.path("observedGeneration").asLong() != generation) {
      return "InProgress";
    }
    Map<String, String> conditions = new LinkedHashMap<>();
    status
        .path("conditions")
        .forEach(c -> conditions.put(c.path("type").asText(), c.path("status").asText()));
    if ("True".equals(conditions.get("Reconciling"))) {
      return "InProgress";
    }
    if ("True".equals(conditions.get("Stalled"))) {
      return "Failed";
    }
    if ("False".equals(conditions.get("Ready"))) {
      return "InProgress";
    }
    return "Current";
  }
}
