package dev.weir.testing;

import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutAnalysis;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads manifests from the repository (examples/, analysis-templates/, crds/) as a user would apply
 * them, and the examples' rollouts as the stories release them, compressed from minutes to seconds.
 */
public final class Manifests {

  /** The scale-down delays of the rollouts the stories release: a second. */
  public static final int COMPRESSED_DELAY_SECONDS = 1;

  /** The args {@link #quickAnalysisCanary} adds to each step analysis: short windows, quick. */
  public static final Map<String, String> QUICK_STEP_ANALYSIS =
      Map.of("interval", "1s", "window", "10s", "count", "3");

  /** The args {@link #quickAnalysisCanary} adds to the background analysis. */
  public static final Map<String, String> QUICK_BACKGROUND_ANALYSIS =
      Map.of("interval", "1s", "initial-delay", "5s", "short-window", "10s", "long-window", "20s");

  private Manifests() {}

  /** The repository's top folder: tests run from it with Maven. */
  public static Path repo(String path) {
    return Path.of(path);
  }

  public static List<HasMetadata> load(String path) {
    try (InputStream in = Files.newInputStream(repo(path))) {
      return objects(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<HasMetadata> objects(InputStream in) {
    Object parsed = Serialization.unmarshal(in);
    if (parsed instanceof List<?> many) {
      return many.stream().map(HasMetadata.class::cast).toList();
    }
    return List.of((HasMetadata) parsed);
  }

  public static <T> T load(String path, Class<T> type) {
    try (InputStream in = Files.newInputStream(repo(path))) {
      return Serialization.unmarshal(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates the objects, or updates those that exist (a namespace kept between tests). */
  public static void apply(KubernetesClient client, String path) {
    apply(client, load(path));
  }

  public static void apply(KubernetesClient client, List<HasMetadata> objects) {
    for (HasMetadata object : objects) {
      client.resource(object).createOr(NonDeletingOperation::update);
    }
  }

  /** {@code kubectl create namespace name}, or nothing when it is there. */
  public static void applyNamespace(KubernetesClient client, String name) {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(NonDeletingOperation::update);
  }

  /**
   * {@code kubectl apply -n namespace -f path}: the file's objects in that namespace, whatever
   * namespace they name (a Namespace itself stays as it is).
   */
  public static void applyIn(KubernetesClient client, String namespace, String path) {
    for (HasMetadata object : load(path)) {
      if (!(object instanceof Namespace)) {
        object.getMetadata().setNamespace(namespace);
      }
      client.resource(object).createOr(NonDeletingOperation::update);
    }
  }

  /** The files of analysis-templates/, in order: the library of templates, applied unchanged. */
  public static List<String> analysisTemplates() {
    try (var files = Files.list(repo("analysis-templates"))) {
      return files.map(Path::toString).filter(f -> f.endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The CRDs a story needs: Weir's own, every file in crds/ as the build generated them, Istio's
   * networking CRDs (VirtualService, DestinationRule) and the Gateway API's HTTPRoute, which this
   * module carries.
   */
  public static List<HasMetadata> crds() {
    var crds = new ArrayList<HasMetadata>();
    try (var files = Files.list(repo("crds"))) {
      files
          .filter(f -> f.toString().endsWith(".yaml"))
          .sorted()
          .forEach(f -> crds.addAll(load("crds/" + f.getFileName())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String mesh : List.of("/crds/istio-networking.yaml", "/crds/gateway-api.yaml")) {
      try (InputStream in = Manifests.class.getResourceAsStream(mesh)) {
        crds.addAll(objects(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return crds;
  }

  /** Installs {@link #crds()}. */
  public static void applyCrds(KubernetesClient client) {
    apply(client, crds());
  }

  /**
   * The classic canary of examples/canary-istio, as the stories apply it: its own steps, with the
   * timed pauses and both scale-down delays compressed to a second.
   */
  public static Rollout compressedClassicCanary() {
    var rollout = load("examples/canary-istio/rollout.yaml", Rollout.class);
    var canary = rollout.getSpec().strategy.canary;
    canary.steps.stream()
        .filter(s -> s.pause != null && s.pause.duration != null)
        .forEach(s -> s.pause.duration = new IntOrString("1s"));
    canary.scaleDownDelaySeconds = COMPRESSED_DELAY_SECONDS;
    canary.abortScaleDownDelaySeconds = COMPRESSED_DELAY_SECONDS;
    return rollout;
  }

  /**
   * The analysed canary of examples/canary-analysis in {@code namespace}, as the analysis stories,
   * the demo and the benchmarks release it: its own steps, with its timed pauses compressed to
   * {@code pause}, both scale-down delays to a second, and args that make the analysis windows
   * short (10 s) and the measurements quick (every second).
   */
  public static Rollout quickAnalysisCanary(String namespace, String pause) {
    return quickAnalysisCanary("examples/canary-analysis/rollout.yaml", namespace, pause);
  }

  /**
   * {@link #quickAnalysisCanary(String, String)} of another example with the same steps and
   * analyses, such as examples/canary-gateway-api/rollout.yaml.
   */
  public static Rollout quickAnalysisCanary(String example, String namespace, String pause) {
    var rollout = load(example, Rollout.class);
    rollout.getMetadata().setNamespace(namespace);
    var canary = rollout.getSpec().strategy.canary;
    canary.scaleDownDelaySeconds = COMPRESSED_DELAY_SECONDS;
    canary.abortScaleDownDelaySeconds = COMPRESSED_DELAY_SECONDS;
    canary.steps.stream()
        .filter(s -> s.pause != null && s.pause.duration != null)
        .forEach(s -> s.pause.duration = new IntOrString(pause));
    canary.steps.stream()
        .filter(s -> s.analysis != null)
        .forEach(s -> addArgs(s.analysis, QUICK_STEP_ANALYSIS));
    addArgs(canary.analysis, QUICK_BACKGROUND_ANALYSIS);
    return rollout;
  }

  /**
   * The blue-green of {@code example} (examples/blue-green/rollout.yaml or one like it) in {@code
   * namespace}, as the blue-green stories release it: the old revision kept 3 s after the switch,
   * an aborted one 1 s, and its analyses measuring every second over 10 s windows, 3 times, after 5
   * s.
   */
  public static Rollout quickBlueGreen(String example, String namespace) {
    var rollout = load(example, Rollout.class);
    rollout.getMetadata().setNamespace(namespace);
    var blueGreen = rollout.getSpec().strategy.blueGreen;
    blueGreen.scaleDownDelaySeconds = 3;
    blueGreen.abortScaleDownDelaySeconds = 1;
    for (var analysis : List.of(blueGreen.prePromotionAnalysis, blueGreen.postPromotionAnalysis)) {
      analysis.args.removeIf(a -> a.name.equals("initial-delay"));
      addArgs(
          analysis, Map.of("interval", "1s", "window", "10s", "count", "3", "initial-delay", "5s"));
    }
    return rollout;
  }

  private static void addArgs(RolloutAnalysis analysis, Map<String, String> args) {
    args.forEach((name, value) -> analysis.args.add(new AnalysisArgument(name, value)));
  }
}
