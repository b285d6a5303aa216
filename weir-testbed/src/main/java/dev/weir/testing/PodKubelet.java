package dev.weir.testing;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Plays the kubelet on a real control plane, where the real ReplicaSet controller creates pods and
 * nothing runs them: registers a Node and keeps it Ready with heartbeats, binds each new pod to it
 * (the pods/binding subresource, as the scheduler does) and reports it Running and Ready through
 * the pods/status subresource, so the ReplicaSet controller counts it ready and available. Pods a
 * scenario says never get ready run but stay unready. A pod being deleted is confirmed at once, as
 * a kubelet does when its containers have stopped.
 */
public final class PodKubelet extends InformerKubelet<Pod> {

  public static final String NODE = "weir-test-node";

  private static final Logger LOG = Logger.getLogger(PodKubelet.class.getName());
  // The node lifecycle controller marks a node's pods unready 40 s after its last heartbeat.
  private static final long HEARTBEAT_SECONDS = 10;
  private static final AtomicInteger POD_IPS = new AtomicInteger();

  private final KubernetesClient client;
  // One thread does all the kubelet's writes, in the order the events came.
  private ScheduledExecutorService worker;

  public PodKubelet(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public PodKubelet start() {
    worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var thread = new Thread(r, "pod-kubelet");
              thread.setDaemon(true);
              return thread;
            });
    registerNode();
    worker.scheduleAtFixedRate(
        this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    startInforming();
    return this;
  }

  @Override
  protected SharedIndexInformer<Pod> inform(ResourceEventHandler<Pod> handler) {
    return client.pods().inAnyNamespace().inform(handler);
  }

  @Override
  protected void examine(Pod pod) {
    schedule(pod);
  }

  @Override
  public void close() {
    super.close();
    if (worker != null) {
      worker.shutdownNow();
    }
  }

  private void schedule(Pod pod) {
    String key = Cache.metaNamespaceKeyFunc(pod);
    try {
      worker.execute(() -> play(key));
    } catch (RejectedExecutionException e) {
      // Closed: an event still on its way from the informer is of no interest any more.
    }
  }

  /** What a kubelet would do next for the pod, judged from its latest state. */
  private void play(String key) {
    Pod pod = informer().getStore().getByKey(key);
    if (pod == null) {
      return;
    }
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    try {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        if (pod.getSpec().getNodeName() != null) {
          client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
        }
        return;
      }
      if (frozen) {
        return;
      }
      if (pod.getSpec().getNodeName() == null) {
        bind(namespace, name);
      }
      boolean ready = !neverReady.test(new PodTemplateSpec(pod.getMetadata(), pod.getSpec()));
      if (reported(pod, ready)) {
        return;
      }
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              Serialization.asJson(Map.of("status", status(pod, ready))));
    } catch (KubernetesClientException e) {
      // Gone (404) or bound by someone else (409): the next event says what to do.
      if (e.getCode() == 404 || e.getCode() == 409 || worker.isShutdown()) {
        return;
      }
      LOG.warning("pod " + key + ": " + e.getMessage() + " (" + e.getCause() + "); trying again");
      worker.schedule(() -> play(key), 1, TimeUnit.SECONDS);
    }
  }

  private void bind(String namespace, String name) {
    client
        .bindings()
        .inNamespace(namespace)
        .resource(
            new BindingBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewTarget()
                .withApiVersion("v1")
                .withKind("Node")
                .withName(NODE)
                .endTarget()
                .build())
        .create();
  }

  /** Whether the pod already shows Running with the given readiness. */
  private static boolean reported(Pod pod, boolean ready) {
    var status = pod.getStatus();
    if (status == null || !"Running".equals(status.getPhase()) || status.getConditions() == null) {
      return false;
    }
    return status.getConditions().stream()
        .anyMatch(
            c ->
                "Ready".equals(c.getType())
                    && Objects.equals(c.getStatus(), ready ? "True" : "False"));
  }

  private PodStatus status(Pod pod, boolean ready) {
    String now = now();
    var current = pod.getStatus();
    String started =
        current != null && current.getStartTime() != null ? current.getStartTime() : now;
    String podIp = current != null && current.getPodIP() != null ? current.getPodIP() : nextPodIp();
    String readiness = ready ? "True" : "False";
    List<ContainerStatus> containers =
        pod.getSpec().getContainers().stream()
            .map(
                c ->
                    new ContainerStatusBuilder()
                        .withName(c.getName())
                        .withImage(c.getImage())
                        .withImageID("docker-pullable://" + c.getImage())
                        .withContainerID("test://" + pod.getMetadata().getUid() + "/" + c.getName())
                        .withReady(ready)
                        .withStarted(true)
                        .withRestartCount(0)
                        .withNewState()
                        .withNewRunning(started)
                        .endState()
                        .build())
            .toList();
    return new PodStatusBuilder()
        .withPhase("Running")
        .withHostIP("127.0.0.1")
        .withPodIP(podIp)
        .addNewPodIP(podIp)
        .withStartTime(started)
        .withQosClass("BestEffort")
        .withConditions(
            condition("Initialized", "True", started),
            condition("Ready", readiness, now),
            condition("ContainersReady", readiness, now),
            condition("PodScheduled", "True", started))
        .withContainerStatuses(containers)
        .build();
  }

  private static PodCondition condition(String type, String status, String since) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withLastTransitionTime(since)
        .build();
  }

  private static String nextPodIp() {
    int n = POD_IPS.incrementAndGet();
    return "10.88." + ((n >> 8) & 0xff) + "." + (n & 0xff);
  }

  private void registerNode() {
    var node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(NODE)
            .addToLabels("kubernetes.io/hostname", NODE)
            .endMetadata()
            .withNewStatus()
            .withConditions(nodeConditions())
            .addNewAddress("127.0.0.1", "InternalIP")
            .addToCapacity(resources())
            .addToAllocatable(resources())
            .endStatus()
            .build();
    try {
      client.nodes().resource(node).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    heartbeat();
  }

  private static Map<String, Quantity> resources() {
    return Map.of(
        "cpu", new Quantity("64"), "memory", new Quantity("256Gi"), "pods", new Quantity("1000"));
  }

  /**
   * Ready, with a fresh heartbeat, so the node lifecycle controller keeps the node and its pods.
   */
  private void heartbeat() {
    try {
      client
          .nodes()
          .withName(NODE)
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.STRATEGIC_MERGE),
              Serialization.asJson(Map.of("status", Map.of("conditions", nodeConditions()))));
    } catch (KubernetesClientException e) {
      LOG.warning("node heartbeat: " + e.getMessage());
    }
  }

  private static List<NodeCondition> nodeConditions() {
    String now = now();
    return List.of(
        new NodeConditionBuilder()
            .withType("Ready")
            .withStatus("True")
            .withReason("KubeletReady")
            .withMessage("test kubelet is posting ready status")
            .withLastHeartbeatTime(now)
            .withLastTransitionTime(now)
            .build());
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
