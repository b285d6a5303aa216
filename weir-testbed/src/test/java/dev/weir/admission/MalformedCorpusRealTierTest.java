package dev.weir.admission;

import static dev.weir.testing.RolloutAssert.awaitRollout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.RolloutPause;
import dev.weir.testing.ClassicCanary;
import dev.weir.testing.KubectlWeir;
import dev.weir.testing.Kubelet;
import dev.weir.testing.LogCapture;
import dev.weir.testing.LoopbackWebhook;
import dev.weir.testing.RealControlPlane;
import dev.weir.testing.RealTier;
import dev.weir.testing.ReplicaRecorder;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import dev.weir.testing.TrafficRecorder;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input is refused at the door and never crashes anything: every manifest of the malformed
 * corpus (weir-testbed/src/test/resources/malformed, one mistake each, its outcome declared in its
 * first lines) is applied with the real kubectl to the real API server, which calls Weir's
 * admission webhook over TLS, in the namespace of a healthy release in progress carried by Weir
 * under the identity and ClusterRole the chart gives it. Each must be refused by the CRD schema or
 * the webhook with a message that names the field, or be admitted and reported by Weir as
 * InvalidSpec naming the field. Meanwhile the healthy release, v2 of the classic canary stepping
 * through timed pauses, must move its weights only as its own steps say and end Healthy on v2; none
 * of the malformed rollouts may run a pod, nothing but the release may be written by Weir, and the
 * controller logs no stack trace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedCorpusRealTierTest {

  private static final Path CORPUS = Path.of("weir-testbed/src/test/resources/malformed");
  private static final String NAMESPACE = "shop";
  private static final String CONFIGURATION = "weir-malformed-corpus";
  private static final String SELECTED = "weir.dev/malformed-corpus";
  private static final String WEBHOOK_NAMESPACE = "weir-webhook";

  /** Long enough that the corpus is applied while v2 is still stepping. */
  private static final String PAUSE = "12s";

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  static RealTier tier;
  static RealControlPlane cluster;
  static LogCapture logs;
  static Kubelet kubelet;
  static RunningWeir weir;
  static LoopbackWebhook webhook;
  static TrafficRecorder traffic;
  static ReplicaRecorder replicas;
  static RolloutScenario checkout;
  static String v2;
  static final Map<String, KubectlWeir.Result> applied = new ConcurrentHashMap<>();

  /** A manifest of the corpus: its objects, and the outcome its first lines declare. */
  record Malformed(String file, String outcome, String field, String why, List<Subject> objects) {

    /** The object the outcome is about: the last of the file; those before it are what it needs. */
    Subject subject() {
      return objects.get(objects.size() - 1);
    }

    static Malformed read(String file) {
      String text;
      try {
        text = Files.readString(CORPUS.resolve(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      var declared = new HashMap<String, String>();
      for (String line : text.lines().toList()) {
        if (!line.startsWith("#")) {
          break;
        }
        int colon = line.indexOf(':');
        if (colon > 0) {
          declared.put(line.substring(1, colon).trim(), line.substring(colon + 1).trim());
        }
      }
      var objects = new ArrayList<Subject>();
      for (String document : text.split("(?m)^---$")) {
        var object = Serialization.unmarshal(document, GenericKubernetesResource.class);
        if (object != null) {
          objects.add(
              new Subject(
                  object.getApiVersion(), object.getKind(), object.getMetadata().getName()));
        }
      }
      return new Malformed(
          file, declared.get("outcome"), declared.get("field"), declared.get("why"), objects);
    }
  }

  /** One object of a manifest, by its kind and name. */
  record Subject(String apiVersion, String kind, String name) {

    boolean clusterScoped() {
      return kind.equals("ClusterAnalysisTemplate");
    }

    GenericKubernetesResource read(KubernetesClient client) {
      var resources = client.genericKubernetesResources(apiVersion, kind);
      return clusterScoped()
          ? resources.withName(name).get()
          : resources.inNamespace(NAMESPACE).withName(name).get();
    }

    void delete(KubernetesClient client) {
      var resources = client.genericKubernetesResources(apiVersion, kind);
      if (clusterScoped()) {
        resources.withName(name).delete();
      } else {
        resources.inNamespace(NAMESPACE).withName(name).delete();
      }
    }
  }

  static Stream<String> corpus() {
    try (var files = Files.list(CORPUS)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".yaml"))
          .sorted()
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeAll
  static void givenAReleaseInProgressWhenEveryMalformedManifestIsApplied() {
    tier = new RealTier();
    tier.beforeStory(NAMESPACE);
    cluster = tier.cluster();
    logs = LogCapture.start();
    kubelet = tier.kubelet().start();
    weir = tier.startWeir(Optional.empty(), 0);
    KubernetesClient admin = cluster.admin();
    checkout =
        ClassicCanary.givenStableV1(
            admin,
            r ->
                r.getSpec().strategy.canary.steps.stream()
                    .filter(s -> s.pause != null)
                    .forEach(s -> s.pause = timed()));
    // Labelled after the example's namespace was applied, which would take the label away.
    admin
        .namespaces()
        .withName(NAMESPACE)
        .edit(
            n -> {
              var labels = new HashMap<String, String>();
              if (n.getMetadata().getLabels() != null) {
                labels.putAll(n.getMetadata().getLabels());
              }
              labels.put(SELECTED, "true");
              n.getMetadata().setLabels(labels);
              return n;
            });
    webhook = LoopbackWebhook.forNamespaces(cluster, CONFIGURATION, WEBHOOK_NAMESPACE, SELECTED);
    var kubectl = new KubectlWeir(cluster.dir().resolve("admin.kubeconfig"));
    awaitSchemasPublished(kubectl);

    v2 = checkout.hashWithImage(ClassicCanary.V2);
    traffic = new TrafficRecorder(admin, NAMESPACE, "checkout", v2);
    replicas = new ReplicaRecorder(admin, NAMESPACE);
    checkout.setImage(ClassicCanary.V2);

    corpus()
        .forEach(
            file ->
                applied.put(
                    file,
                    kubectl.kubectl(
                        "apply", "-n", NAMESPACE, "-f", CORPUS.resolve(file).toString())));
  }

  private static RolloutPause timed() {
    var pause = new RolloutPause();
    pause.duration = new IntOrString(PAUSE);
    return pause;
  }

  /**
   * kubectl validates a manifest against the schemas the API server publishes (unknown fields,
   * types, required fields); a CRD's schema is published a moment after the CRD.
   */
  private static void awaitSchemasPublished(KubectlWeir kubectl) {
    await("the Rollout schema published to kubectl")
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                kubectl.kubectl("explain", "rollouts.spec.strategy.canary.steps").exitCode() == 0
                    && kubectl.kubectl("explain", "analysisruns.spec.metrics").exitCode() == 0);
  }

  @AfterAll
  static void removeTheCorpus() {
    var admin = cluster == null ? null : cluster.admin();
    try {
      for (AutoCloseable open : new AutoCloseable[] {traffic, replicas, weir, kubelet, webhook}) {
        if (open != null) {
          open.close();
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      if (logs != null) {
        logs.close();
      }
      if (admin != null) {
        // What the namespace's cleaning leaves: cluster-wide templates and Secrets.
        corpus()
            .map(Malformed::read)
            .flatMap(m -> m.objects().stream())
            .filter(o -> o.clusterScoped() || o.kind().equals("Secret"))
            .forEach(o -> o.delete(admin));
        admin
            .namespaces()
            .withName(NAMESPACE)
            .edit(
                n -> {
                  if (n.getMetadata().getLabels() != null) {
                    n.getMetadata().getLabels().remove(SELECTED);
                  }
                  return n;
                });
        tier.afterStory(NAMESPACE);
      }
    }
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void eachManifestHasTheOutcomeItDeclares(String file) {
    var manifest = Malformed.read(file);
    assertThat(manifest.outcome())
        .as(file + " declares its outcome, field and why")
        .isIn("schema", "webhook", "InvalidSpec");
    assertThat(manifest.field()).as(file + " declares its field").isNotBlank();
    assertThat(manifest.why()).as(file + " says why").isNotBlank();
    var result = applied.get(file);
    var subject = manifest.subject();

    switch (manifest.outcome()) {
      case "schema" -> {
        assertThat(result.exitCode()).as(result.both()).isNotZero();
        assertThat(result.err())
            .as("refused before the webhook")
            .doesNotContain("admission webhook");
        assertThat(namesField(result.err(), manifest.field()))
            .as("kubectl's message names " + manifest.field() + ":\n" + result.err())
            .isTrue();
        assertThat(subject.read(cluster.admin())).as("nothing was stored").isNull();
      }
      case "webhook" -> {
        String webhookName = subject.kind().equals("Rollout") ? "rollouts" : "analysis";
        assertThat(result.exitCode()).as(result.both()).isNotZero();
        assertThat(result.err())
            .contains(
                "admission webhook \""
                    + webhookName
                    + ".weir.dev\" denied the request: invalid "
                    + subject.kind())
            .contains(manifest.field() + ": ");
        assertThat(subject.read(cluster.admin())).as("nothing was stored").isNull();
      }
      default -> {
        assertThat(result.exitCode()).as(result.both()).isZero();
        String message = awaitInvalidSpec(subject);
        assertThat(message).contains(manifest.field() + ": ");
      }
    }
  }

  /**
   * Whether the API server's or kubectl's message names the field: the API server 1.20 leaves out
   * the list indices ({@code spec.strategy.canary.steps.setWeight}), and kubectl names a missing or
   * unknown field after the object that holds it ({@code ValidationError(Rollout.spec): missing
   * required field "selector"}).
   */
  static boolean namesField(String message, String field) {
    String withoutIndices = field.replaceAll("\\[\\d+]", "");
    int dot = field.lastIndexOf('.');
    if (dot < 0) {
      return message.contains(field);
    }
    String holder = field.substring(0, dot);
    String leaf = field.substring(dot + 1).replaceAll("\\[\\d+]", "");
    return message.contains(field)
        || message.contains(withoutIndices)
        || (message.contains(holder + ")") && message.contains("\"" + leaf + "\""));
  }

  /**
   * The message of the InvalidSpec Weir reports on the object: a rollout's InvalidSpec condition,
   * or a run's Error phase for an invalid spec.
   */
  private static String awaitInvalidSpec(Subject subject) {
    var seen = new java.util.concurrent.atomic.AtomicReference<GenericKubernetesResource>();
    try {
      return await(subject.kind() + " " + subject.name() + " reported as InvalidSpec")
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                var object = subject.read(cluster.admin());
                seen.set(object);
                return invalidSpecMessage(object);
              },
              Optional::isPresent)
          .orElseThrow();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          subject.kind()
              + " "
              + subject.name()
              + " never reported InvalidSpec; last seen:\n"
              + Serialization.asYaml(seen.get()),
          e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Optional<String> invalidSpecMessage(GenericKubernetesResource object) {
    if (object == null || !(object.getAdditionalProperties().get("status") instanceof Map)) {
      return Optional.empty();
    }
    var status = (Map<String, Object>) object.getAdditionalProperties().get("status");
    if (object.getKind().equals("AnalysisRun")) {
      String message = (String) status.get("message");
      return "Error".equals(status.get("phase"))
              && message != null
              && message.startsWith("invalid spec: ")
          ? Optional.of(message)
          : Optional.empty();
    }
    var conditions = (List<Map<String, Object>>) status.getOrDefault("conditions", List.of());
    return conditions.stream()
        .filter(c -> "InvalidSpec".equals(c.get("type")) && "True".equals(c.get("status")))
        .map(c -> (String) c.get("message"))
        .findFirst();
  }

  @Order(2)
  @Test
  void theReleaseInProgressMovesOnlyAsItsOwnStepsSayAndEndsHealthy() {
    assertThat(applied).as("every manifest was applied").hasSize((int) corpus().count());

    awaitRollout(checkout, "v2 promoted and healthy", r -> r.isHealthyOn(v2));

    assertThat(traffic.shares())
        .as("v2's share of the traffic, as the mesh saw it")
        .isSorted()
        .containsSubsequence(0, 10, 30, 60, 100)
        .isSubsetOf(0, 10, 30, 60, 100);
    assertThat(replicas.mostReplicasByOwner())
        .as("the owners of every ReplicaSet of the namespace, with their most replicas")
        .containsOnlyKeys("Rollout/checkout");
  }

  @Order(3)
  @Test
  void weirWroteOnlyTheReleasesOwnRoutesAndServices() {
    var admin = cluster.admin();
    var written = new LinkedHashMap<String, Boolean>();
    Stream.of(
            admin.resources(VirtualService.class).inNamespace(NAMESPACE).list().getItems(),
            admin.resources(HTTPRoute.class).inNamespace(NAMESPACE).list().getItems(),
            admin.services().inNamespace(NAMESPACE).list().getItems())
        .flatMap(List::stream)
        .forEach(o -> written.put(o.getKind() + "/" + o.getMetadata().getName(), writtenByWeir(o)));

    assertThat(written)
        .as("whether Weir's field manager wrote each VirtualService, HTTPRoute and Service")
        .containsEntry("VirtualService/checkout", true)
        .containsEntry("Service/checkout-stable", true)
        .containsEntry("Service/checkout-canary", true)
        .allSatisfy(
            (object, byWeir) ->
                assertThat(byWeir)
                    .as(object)
                    .isEqualTo(
                        List.of(
                                "VirtualService/checkout",
                                "Service/checkout-stable",
                                "Service/checkout-canary")
                            .contains(object)));
  }

  private static boolean writtenByWeir(HasMetadata object) {
    return object.getMetadata().getManagedFields().stream()
        .anyMatch(m -> WellKnownNames.FIELD_MANAGER.equals(m.getManager()));
  }

  @Order(4)
  @Test
  void theControllerLoggedNoStackTrace() {
    assertThat(logs.stackTraces()).as("lines logged with an exception").isEmpty();
  }
}
