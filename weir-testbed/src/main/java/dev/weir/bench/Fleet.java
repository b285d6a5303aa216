package dev.weir.bench;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.testing.Manifests;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fleet of copies of examples/canary-istio in one namespace: rollout {@code app-00042} with its
 * Services {@code app-00042-stable} and {@code -canary} and its VirtualService {@code app-00042},
 * every pause of its steps timed (the manual one too, so that releases run on their own), and the
 * scale-down delays a second. Objects are created and released by a bounded pool of threads, so
 * that thousands are made in seconds without flooding the API server.
 */
final class Fleet implements AutoCloseable {

  private final KubernetesClient client;
  private final String namespace;
  private final String pause;
  private final ExecutorService pool;
  private final List<HasMetadata> services = Manifests.load("examples/canary-istio/services.yaml");
  private final VirtualService virtualService =
      Manifests.load("examples/canary-istio/virtualservice.yaml", VirtualService.class);
  private int size;

  Fleet(KubernetesClient client, String namespace, String pause, int threads) {
    this.client = client;
    this.namespace = namespace;
    this.pause = pause;
    this.pool = Executors.newFixedThreadPool(threads);
    Manifests.applyNamespace(client, namespace);
  }

  static String name(int index) {
    return String.format("app-%05d", index);
  }

  int size() {
    return size;
  }

  List<String> names() {
    var names = new ArrayList<String>();
    for (int i = 0; i < size; i++) {
      names.add(name(i));
    }
    return names;
  }

  /** Creates rollouts until the fleet has {@code target}; returns how many objects were made. */
  int growTo(int target) throws InterruptedException, ExecutionException {
    var made = new ArrayList<Future<Integer>>();
    for (int i = size; i < target; i++) {
      int index = i;
      made.add(pool.submit(() -> create(name(index))));
    }
    int objects = 0;
    for (var f : made) {
      objects += f.get();
    }
    size = Math.max(size, target);
    return objects;
  }

  /** Declares {@code image} on each named rollout at once (a JSON patch of the one field). */
  void release(List<String> names, String image) throws InterruptedException, ExecutionException {
    String patch =
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\""
            + image
            + "\"}]";
    var done = new ArrayList<Future<?>>();
    for (String name : names) {
      done.add(
          pool.submit(
              () ->
                  client
                      .resources(Rollout.class)
                      .inNamespace(namespace)
                      .withName(name)
                      .patch(PatchContext.of(PatchType.JSON), patch)));
    }
    for (var f : done) {
      f.get();
    }
  }

  private int create(String name) {
    for (var service : services) {
      var copy = (Service) service;
      var s =
          new io.fabric8.kubernetes.api.model.ServiceBuilder(copy)
              .editMetadata()
              .withName(copy.getMetadata().getName().replace("checkout", name))
              .withNamespace(namespace)
              .endMetadata()
              .editSpec()
              .withSelector(Map.of("app", name))
              .endSpec()
              .build();
      client.resource(s).create();
    }
    var vs =
        new io.fabric8.istio.api.networking.v1beta1.VirtualServiceBuilder(virtualService)
            .editMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .build();
    vs.getSpec().setHosts(List.of(name + "." + namespace + ".svc.cluster.local"));
    vs.getSpec()
        .getHttp()
        .get(0)
        .getRoute()
        .forEach(
            r ->
                r.getDestination().setHost(r.getDestination().getHost().replace("checkout", name)));
    client.resource(vs).create();
    client.resource(rollout(name)).create();
    return 4;
  }

  private Rollout rollout(String name) {
    var rollout = Manifests.load("examples/canary-istio/rollout.yaml", Rollout.class);
    rollout.getMetadata().setName(name);
    rollout.getMetadata().setNamespace(namespace);
    var spec = rollout.getSpec();
    spec.selector.getMatchLabels().put("app", name);
    spec.template.getMetadata().getLabels().put("app", name);
    var canary = spec.strategy.canary;
    canary.stableService = name + "-stable";
    canary.canaryService = name + "-canary";
    canary.trafficRouting.istio.virtualService.name = name;
    canary.steps.stream()
        .filter(s -> s.pause != null)
        .forEach(s -> s.pause.duration = new IntOrString(pause));
    canary.scaleDownDelaySeconds = Manifests.COMPRESSED_DELAY_SECONDS;
    canary.abortScaleDownDelaySeconds = Manifests.COMPRESSED_DELAY_SECONDS;
    return rollout;
  }

  /** The steps each rollout goes through in a release, as the fleet declares them. */
  String steps() {
    var canary = rollout(name(0)).getSpec().strategy.canary;
    var parts = new ArrayList<String>();
    canary.steps.forEach(
        s ->
            parts.add(
                s.setWeight != null
                    ? "setWeight " + s.setWeight
                    : s.pause != null ? "pause " + s.pause.duration.getStrVal() : "other"));
    return String.join(", ", parts);
  }

  int stepCount() {
    return rollout(name(0)).getSpec().strategy.canary.steps.size();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
