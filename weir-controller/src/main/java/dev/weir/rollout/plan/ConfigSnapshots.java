package dev.weir.rollout.plan;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Configuration released as revisions (spec.configSnapshots): which ConfigMaps a pod template
 * references, the immutable copy each is released as, and the template that names the copies.
 *
 * <p>A copy is named {@code <name>-<digest>}, the digest over the ConfigMap's data and binaryData
 * only: the same data is the same copy (and the same pod-template hash, so nothing to release); new
 * data is a new copy, so a new template, so a new revision going through the steps. With {@code
 * app-config} holding {@code {level: info}} the template names {@code app-config-6c0f2a1b7d}; after
 * {@code level: debug} it names another copy, and the stable ReplicaSet, whose template was fixed
 * when it was made, still names the first.
 */
public final class ConfigSnapshots {

  /** Hex digits of the digest in a copy's name. */
  private static final int DIGEST_LENGTH = 10;

  private ConfigSnapshots() {}

  /**
   * The template with every reference to a ConfigMap of {@code live} replaced by its copy, and the
   * copies it needs. A reference to a ConfigMap not there is left as it is: the pods would wait for
   * it just as they would without snapshots (and an optional one may stay absent).
   *
   * @param template the declared pod template (not changed)
   * @param live the namespace's ConfigMaps the template references, by name
   */
  public static Snapshot of(PodTemplateSpec template, Map<String, ConfigMap> live) {
    var copies = new TreeMap<String, ConfigMap>();
    UnaryOperator<String> copyOf =
        name -> {
          var configMap = name == null ? null : live.get(name);
          if (configMap == null) {
            return name;
          }
          String copy = copyName(configMap);
          copies.put(copy, configMap);
          return copy;
        };
    PodTemplateSpec snapshot = Serialization.clone(template);
    visit(snapshot, copyOf);
    return new Snapshot(snapshot, copies);
  }

  /** The names of the ConfigMaps a pod template references. */
  public static Set<String> referenced(PodTemplateSpec template) {
    var names = new LinkedHashSet<String>();
    if (template != null) {
      visit(
          Serialization.clone(template),
          name -> {
            if (name != null) {
              names.add(name);
            }
            return name;
          });
    }
    return names;
  }

  /**
   * The copies to delete: the rollout's copies that no template in use (its ReplicaSets', the
   * declared one's) names any more.
   */
  public static List<String> prunable(
      Collection<String> copies, Collection<PodTemplateSpec> templatesInUse) {
    var named = new LinkedHashSet<String>();
    templatesInUse.forEach(t -> named.addAll(referenced(t)));
    return copies.stream().filter(c -> !named.contains(c)).sorted().toList();
  }

  /** {@code <name>-<digest of data and binaryData>}. */
  static String copyName(ConfigMap configMap) {
    var content = new TreeMap<String, Object>();
    content.put("data", new TreeMap<>(orEmpty(configMap.getData())));
    content.put("binaryData", new TreeMap<>(orEmpty(configMap.getBinaryData())));
    return configMap.getMetadata().getName() + "-" + digest(Serialization.asJson(content));
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  private static String digest(String text) {
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha).substring(0, DIGEST_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Every ConfigMap name in the template, replaced in place by what {@code rename} gives. */
  private static void visit(PodTemplateSpec template, UnaryOperator<String> rename) {
    var spec = template.getSpec();
    if (spec == null) {
      return;
    }
    Stream.of(spec.getInitContainers(), spec.getContainers())
        .filter(list -> list != null)
        .flatMap(List::stream)
        .forEach(container -> visit(container, rename));
    if (spec.getVolumes() == null) {
      return;
    }
    for (var volume : spec.getVolumes()) {
      if (volume.getConfigMap() != null) {
        rename(volume.getConfigMap().getName(), rename, volume.getConfigMap()::setName);
      }
      if (volume.getProjected() != null && volume.getProjected().getSources() != null) {
        for (var source : volume.getProjected().getSources()) {
          if (source.getConfigMap() != null) {
            rename(source.getConfigMap().getName(), rename, source.getConfigMap()::setName);
          }
        }
      }
    }
  }

  private static void visit(Container container, UnaryOperator<String> rename) {
    if (container.getEnv() != null) {
      for (var env : container.getEnv()) {
        var from = env.getValueFrom();
        if (from != null && from.getConfigMapKeyRef() != null) {
          var ref = from.getConfigMapKeyRef();
          rename(ref.getName(), rename, ref::setName);
        }
      }
    }
    if (container.getEnvFrom() != null) {
      for (var envFrom : container.getEnvFrom()) {
        if (envFrom.getConfigMapRef() != null) {
          var ref = envFrom.getConfigMapRef();
          rename(ref.getName(), rename, ref::setName);
        }
      }
    }
  }

  private static void rename(String name, UnaryOperator<String> rename, Consumer<String> set) {
    set.accept(rename.apply(name));
  }

  /**
   * A template naming copies, and the copies it names.
   *
   * @param template the declared template with ConfigMap references replaced by their copies
   * @param copies each copy's name, with the live ConfigMap it copies
   */
  public record Snapshot(PodTemplateSpec template, Map<String, ConfigMap> copies) {}
}
