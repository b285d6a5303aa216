package dev.weir.rollout;

import static dev.weir.testing.ClassicCanary.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.testing.ClassicCanary;
import dev.weir.testing.LogCapture;
import dev.weir.testing.Manifests;
import dev.weir.testing.PodKubelet;
import dev.weir.testing.RealControlPlane;
import dev.weir.testing.RequestLog;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import dev.weir.testing.TrafficRecorder;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only a real API server shows: resourceVersion conflicts, the status subresource,
 * server-side-apply field ownership, the garbage collector, and RBAC. The release is the classic
 * example of examples/canary-istio with its timed pauses shortened to a second.
 */
class RealApiServerTest {

  static final String STATUS_PATH =
      "/apis/weir.dev/v1alpha1/namespaces/shop/rollouts/checkout/status";

  static RealControlPlane cluster;

  KubernetesClient admin;
  RolloutScenario checkout;
  final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void controlPlane() {
    cluster = RealControlPlane.shared();
  }

  @BeforeEach
  void emptyShop() {
    cluster.clean("shop");
    admin = cluster.admin();
    checkout = new RolloutScenario(admin, "shop", "checkout");
  }

  @AfterEach
  void stopEverything() throws Exception {
    Collections.reverse(closeables);
    for (var c : closeables) {
      c.close();
    }
  }

  /** Given the example's objects, the kubelet, Weir under {@code weirClient}, and v1 healthy. */
  void givenStableV1(KubernetesClient weirClient) {
    closeables.add(new PodKubelet(admin).start());
    closeables.add(RunningWeir.start(weirClient));
    checkout = ClassicCanary.givenStableV1(admin, r -> {});
  }

  String whenV2PausesAtTenPercent() {
    return ClassicCanary.whenV2PausesAtTenPercent(checkout);
  }

  @Test
  void aConflictingStatusWriteIsRetriedWithoutLosingOrRepeatingAStep() {
    // Between Weir's read of the rollout and every other status write, someone else changes the
    // rollout (an annotation, as a user's promote or a GitOps tool would): the write carries the
    // resourceVersion it was computed from, so the real API server answers 409, and Weir must
    // carry on from the newer state without undoing or repeating what it had already done.
    var requests = new RequestLog();
    var interfered = new AtomicInteger();
    givenStableV1(cluster.operator(requests));
    String v2 = checkout.hashWithImage(V2);
    var recorder = new TrafficRecorder(admin, "shop", "checkout", v2);
    closeables.add(recorder);
    List<Integer> steps = new CopyOnWriteArrayList<>();
    closeables.add(
        admin
            .resources(Rollout.class)
            .inNamespace("shop")
            .withName("checkout")
            .watch(new StepWatcher(v2, steps)));
    var statusWrites = new AtomicInteger();
    requests.beforeSend(
        request -> {
          if (!request.method().equals("GET")
              && request.uri().getPath().equals(STATUS_PATH)
              && statusWrites.getAndIncrement() % 2 == 0) {
            admin
                .resources(Rollout.class)
                .inNamespace("shop")
                .withName("checkout")
                .patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"annotations\":{\"test.weir.dev/nudge\":\""
                        + interfered.incrementAndGet()
                        + "\"}}}");
          }
        });

    whenV2PausesAtTenPercent();
    checkout.promote();
    checkout.awaitStatus(
        "v2 promoted despite the conflicts",
        s -> v2.equals(s.stableRS) && s.phase == RolloutPhase.Healthy);
    requests.beforeSend(request -> {});

    long conflicts =
        requests.requests().stream()
            .filter(r -> r.path().equals(STATUS_PATH) && r.code() == 409)
            .count();
    var reasons = checkout.eventReasons();
    var softly = new SoftAssertions();
    softly
        .assertThat(interfered.get())
        .as("status writes interfered with")
        .isGreaterThanOrEqualTo(4);
    softly.assertThat(conflicts).as("409s answered by the API server").isEqualTo(interfered.get());
    softly
        .assertThat(recorder.shares())
        .as("v2's share of the traffic, every change in order")
        .containsExactly(0, 10, 30, 60, 100);
    softly.assertThat(steps).as("v2's step index, every change in order").isSorted().contains(1, 6);
    softly
        .assertThat(reasons)
        .as("events")
        .containsOnlyOnce("NewRevision", "StepPromoted", "Promoted");
    softly
        .assertThat(reasons.stream().filter("WeightSet"::equals))
        .as("WeightSet events")
        .hasSize(3);
    softly.assertThat(reasons).as("events").doesNotContain("WeightRestored");
    softly.assertThat(checkout.status().currentStepIndex).isEqualTo(6);
    softly.assertAll();
  }

  @Test
  void aStatusWriteOntoACopyTheWatchNeverUpdatedLandsOnTheNewestAndKeepsThePromote() {
    // What a reconcile meets when its informer's watch is down: the copy it planned from is older
    // than the server's, and the informer will not bring the newer one soon. The write reads the
    // newest copy from the server and lands there, with the promote that arrived meanwhile.
    Manifests.apply(admin, "examples/canary-istio/namespace.yaml");
    Rollout asRead = admin.resource(Manifests.compressedClassicCanary()).create();
    checkout.promote();
    var planned = new RolloutStatus();
    planned.message = "planned from the copy read before the promote";

    Rollout written = StatusWriter.writeOnNewest(asRead, planned, admin);

    Rollout onServer = checkout.rollout();
    assertThat(onServer.getStatus().message).isEqualTo(planned.message);
    assertThat(onServer.getStatus().promote).as("the promote that arrived").isNotNull();
    assertThat(written.getMetadata().getResourceVersion())
        .isEqualTo(onServer.getMetadata().getResourceVersion());
  }

  @Test
  void statusIsWrittenOnlyThroughTheStatusSubresourceAndTheRolloutOnlyForTheFinalizer() {
    var requests = new RequestLog();
    givenStableV1(cluster.operator(requests));
    Rollout staleV1 = checkout.rollout();
    String v1 = staleV1.getStatus().stableRS;
    String v2 = whenV2PausesAtTenPercent();
    var before = checkout.rollout();

    // `kubectl replace` of a file saved while v1 was healthy: new spec, stale status in the body.
    staleV1.getSpec().template.getSpec().getContainers().get(0).setImage(V2);
    staleV1.getSpec().revisionHistoryLimit = 5;
    staleV1.getMetadata().setResourceVersion(before.getMetadata().getResourceVersion());
    staleV1.getStatus().promote = PromoteRequest.Full;
    Rollout replaced = admin.resource(staleV1).update();
    assertThat(replaced.getSpec().revisionHistoryLimit).isEqualTo(5);
    assertThat(replaced.getMetadata().getGeneration())
        .isGreaterThan(before.getMetadata().getGeneration());
    assertThat(Serialization.asJson(replaced.getStatus()))
        .isEqualTo(Serialization.asJson(before.getStatus()));

    // `kubectl apply` (a merge patch of the main resource) naming status fields: ignored too.
    admin
        .resources(Rollout.class)
        .inNamespace("shop")
        .withName("checkout")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"revisionHistoryLimit\":4},"
                + "\"status\":{\"promote\":\"Full\",\"currentStepIndex\":5,"
                + "\"stableRS\":\"stale\"}}");
    long generation = checkout.rollout().getMetadata().getGeneration();

    var after =
        checkout.awaitStatus(
            "the new generation observed",
            s -> Long.valueOf(generation).equals(s.observedGeneration));
    assertThat(after.phase).isEqualTo(RolloutPhase.Paused);
    assertThat(after.currentStepIndex).isEqualTo(1);
    assertThat(after.currentPodHash).isEqualTo(v2);
    assertThat(after.stableRS).isEqualTo(v1);
    assertThat(after.promote).isNull();
    assertThat(checkout.canaryWeight()).isEqualTo(10);

    var weirWrites =
        requests.requests().stream()
            .filter(RequestLog.Request::isWrite)
            .filter(r -> r.path().contains("/apis/weir.dev/"))
            .toList();
    assertThat(weirWrites)
        .isNotEmpty()
        .allMatch(r -> r.path().endsWith("/status") || r.method().equals("PATCH"));
    // Besides status, Weir writes only its finalizer: the spec's generation is the user's.
    var now = checkout.rollout().getMetadata();
    assertThat(now.getFinalizers()).containsExactly(WellKnownNames.FINALIZER);
    assertThat(now.getGeneration()).isEqualTo(generation);
  }

  @Test
  void theWeightsAreOwnedByWeirAndTheRestByWhoeverAppliedTheVirtualService() {
    var vs = (VirtualService) Manifests.load("examples/canary-istio/virtualservice.yaml").get(0);
    vs.getMetadata().setLabels(Map.of("app.kubernetes.io/part-of", "shop"));
    Manifests.apply(admin, "examples/canary-istio/namespace.yaml");
    admin.resource(vs).fieldManager("argocd-controller").forceConflicts().serverSideApply();
    givenStableV1(cluster.operator());
    whenV2PausesAtTenPercent();

    var managed = managedFields();
    // Istio's CRDs leave spec open (x-kubernetes-preserve-unknown-fields), so the API server
    // treats spec.http as one atomic list: who writes a weight owns the list of routes.
    assertThat(managed).containsKeys("weir", "argocd-controller");
    assertThat(managed.get("weir").getOperation()).isEqualTo("Update");
    assertThat(fields(managed.get("weir"))).isEqualTo(Map.of("f:spec", Map.of("f:http", Map.of())));
    var argocd = fields(managed.get("argocd-controller"));
    assertThat(argocd).containsKey("f:metadata");
    assertThat(spec(argocd)).containsKey("f:hosts").doesNotContainKey("f:http");

    // Git's weights, applied again without force, conflict with Weir's, by name.
    assertThatThrownBy(() -> admin.resource(vs).fieldManager("argocd-controller").serverSideApply())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("weir")
        .hasMessageContaining(".spec.http");
    // With force (a GitOps sync that insists), the weights go back to git's until Weir restores.
    admin.resource(vs).fieldManager("argocd-controller").forceConflicts().serverSideApply();
    await("Weir restores the canary weight")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> checkout.canaryWeight() == 10 && managedFields().containsKey("weir"));
    assertThat(checkout.status().currentStepIndex).isEqualTo(1);
    assertThat(spec(fields(managedFields().get("argocd-controller")))).containsKey("f:hosts");
  }

  @Test
  void deletingARolloutGarbageCollectsItsReplicaSetsAndTheirPods() {
    givenStableV1(cluster.operator());
    whenV2PausesAtTenPercent();
    var rollout = checkout.rollout();
    assertThat(checkout.replicaSets()).hasSize(2);
    for (var rs : checkout.replicaSets()) {
      OwnerReference owner = rs.getMetadata().getOwnerReferences().get(0);
      assertThat(owner.getUid()).isEqualTo(rollout.getMetadata().getUid());
      assertThat(owner.getController()).isTrue();
    }
    assertThat(admin.pods().inNamespace("shop").list().getItems()).hasSize(6);

    admin.resource(rollout).delete();
    await("ReplicaSets and pods collected by the garbage collector")
        .atMost(RolloutScenario.PATIENCE)
        .until(
            () ->
                checkout.replicaSets().isEmpty()
                    && admin.pods().inNamespace("shop").list().getItems().isEmpty());
    // What the rollout only referred to is the user's: kept.
    assertThat(admin.services().inNamespace("shop").list().getItems()).hasSize(2);
    assertThat(admin.resources(VirtualService.class).inNamespace("shop").withName("checkout").get())
        .isNotNull();
  }

  @Test
  void aMissingPermissionFailsWithAMessageNamingTheVerbAndTheResource() {
    String user = "system:serviceaccount:weir-system:weir-without-vs-patch";
    var rules =
        RealControlPlane.without(
            RealControlPlane.chartRules(), "networking.istio.io", "virtualservices", "patch");
    var limited = cluster.identity(user, "weir-test-without-vs-patch", rules);
    closeables.add(
        () -> {
          admin.rbac().clusterRoleBindings().withName("weir-test-without-vs-patch").delete();
          admin.rbac().clusterRoles().withName("weir-test-without-vs-patch").delete();
        });
    assertThat(RealControlPlane.allowed(limited, "networking.istio.io", "virtualservices", "patch"))
        .isFalse();
    var logs = LogCapture.start();
    closeables.add(logs);

    givenStableV1(limited);
    checkout.setImage(V2);

    String forbidden =
        "User \""
            + user
            + "\" cannot patch resource \"virtualservices\" in API group \"networking.istio.io\"";
    // What a user sees: Ready=False with reason Forbidden and the API server's own words, in the
    // status message and in a Warning Event; nothing half-done, no traffic on the canary.
    // Each retry writes the step's status before it tries the weight again, and the report after
    // the 403 follows it: the two are awaited together, as a user watching the status sees them.
    var reported =
        checkout.awaitStatus(
            "the missing permission reported",
            s ->
                s.message != null
                    && s.message.contains(forbidden)
                    && s.conditions.stream()
                        .anyMatch(
                            c ->
                                c.getType().equals("Ready")
                                    && c.getStatus().equals("False")
                                    && c.getReason().equals("Forbidden")));
    assertThat(reported.conditions)
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("Forbidden");
              assertThat(c.getMessage()).contains(forbidden);
            });
    assertThat(checkout.eventReasons()).contains("Forbidden");
    assertThat(logs.lines()).anyMatch(l -> l.contains(forbidden));
    assertThat(checkout.canaryWeight()).isZero();
    assertThat(checkout.status().currentStepIndex).isZero();
  }

  private Map<String, ManagedFieldsEntry> managedFields() {
    var vs = admin.resources(VirtualService.class).inNamespace("shop").withName("checkout").get();
    var byManager = new java.util.HashMap<String, ManagedFieldsEntry>();
    vs.getMetadata().getManagedFields().forEach(m -> byManager.put(m.getManager(), m));
    return byManager;
  }

  private static Map<String, Object> fields(ManagedFieldsEntry entry) {
    return entry.getFieldsV1() == null ? Map.of() : entry.getFieldsV1().getAdditionalProperties();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(Map<String, Object> fields) {
    return (Map<String, Object>) fields.getOrDefault("f:spec", Map.of());
  }

  /** Records the step index of each status of the given revision, in the order written. */
  private static final class StepWatcher implements io.fabric8.kubernetes.client.Watcher<Rollout> {
    private final String revision;
    private final List<Integer> steps;

    StepWatcher(String revision, List<Integer> steps) {
      this.revision = revision;
      this.steps = steps;
    }

    @Override
    public void eventReceived(Action action, Rollout rollout) {
      var status = rollout.getStatus();
      if (status == null
          || !revision.equals(status.currentPodHash)
          || status.currentStepIndex == null) {
        return;
      }
      if (steps.isEmpty() || !steps.get(steps.size() - 1).equals(status.currentStepIndex)) {
        steps.add(status.currentStepIndex);
      }
    }

    @Override
    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
  }
}
