package dev.weir.testing;

import dev.weir.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
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

/** Loads manifests from the repository (examples/, crds/) as a user would apply them. */
public final class Manifests {

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

  /**
   * The CRDs a story needs: Weir's own, every file in crds/ as the build generated them, and
   * Istio's networking CRDs (VirtualService, DestinationRule), which this module carries.
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
    try (InputStream istio = Manifests.class.getResourceAsStream("/crds/istio-networking.yaml")) {
      crds.addAll(objects(istio));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
    canary.scaleDownDelaySeconds = 1;
    canary.abortScaleDownDelaySeconds = 1;
    return rollout;
  }
}
