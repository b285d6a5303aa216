package dev.weir.rollout.plan;

import dev.weir.api.WellKnownNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
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
import java.util.TreeSet;
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
 *
 * <p>Secrets are copied the same way, but only those their owner offered ({@link #offered}), and a
 * Secret copy's name says nothing of its values: it is {@code <name>-<digest>} with the digest over
 * the Secret's uid and resourceVersion. Names are seen by whoever may read pods or ReplicaSets, a
 * wider audience than the Secret's readers, and a digest of a short or guessable value can be
 * tested offline; uid and resourceVersion reveal nothing, need no key to keep, and still change
 * with every write of the Secret. The price: a write that changes only its metadata (a label) is a
 * new revision too.
 */
public final class ConfigSnapshots {

  private static final String SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token";

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
    return of(template, live, Map.of());
  }

  /**
   * The template with every reference to a ConfigMap of {@code live} and to a Secret of {@code
   * offeredSecrets} replaced by its copy, and the copies it needs. A Secret reference with no
   * offered Secret is left as it is and listed as not snapshotted: whether the Secret is missing or
   * did not opt in, Weir cannot tell without reading it.
   *
   * @param template the declared pod template (not changed)
   * @param live the namespace's ConfigMaps the template references, by name
   * @param offeredSecrets the namespace's Secrets the template references, by name, as Weir's
   *     informer of labelled Secrets holds them; only those {@link #offered} are copied
   */
  public static Snapshot of(
      PodTemplateSpec template, Map<String, ConfigMap> live, Map<String, Secret> offeredSecrets) {
    var copies = new TreeMap<String, ConfigMap>();
    var secretCopies = new TreeMap<String, Secret>();
    var notSnapshotted = new TreeSet<String>();
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
    UnaryOperator<String> secretCopyOf =
        name -> {
          if (name == null) {
            return null;
          }
          var secret = offeredSecrets.get(name);
          if (secret == null || !offered(secret)) {
            notSnapshotted.add(name);
            return name;
          }
          String copy = secretCopyName(secret);
          secretCopies.put(copy, secret);
          return copy;
        };
    PodTemplateSpec snapshot = Serialization.clone(template);
    visit(snapshot, Source.CONFIG_MAP, copyOf);
    visit(snapshot, Source.SECRET, secretCopyOf);
    return new Snapshot(snapshot, copies, secretCopies, notSnapshotted);
  }

  /**
   * Whether a Secret may be copied: its owner labelled it {@value
   * WellKnownNames#CONFIG_SNAPSHOT_LABEL}={@value WellKnownNames#CONFIG_SNAPSHOT_OPT_IN}, and it is
   * not itself one of Weir's copies (which carry the label to stay in Weir's view), nor a service
   * account token, which only the API server's token controller may fill and so cannot be copied.
   */
  public static boolean offered(Secret secret) {
    var labels = secret.getMetadata().getLabels();
    return labels != null
        && !SERVICE_ACCOUNT_TOKEN.equals(secret.getType())
        && WellKnownNames.CONFIG_SNAPSHOT_OPT_IN.equals(
            labels.get(WellKnownNames.CONFIG_SNAPSHOT_LABEL))
        && !labels.containsKey(WellKnownNames.CONFIG_SNAPSHOT_OF_LABEL);
  }

  /** The names of the ConfigMaps a pod template references. */
  public static Set<String> referenced(PodTemplateSpec template) {
    return referenced(template, Source.CONFIG_MAP);
  }

  /** The names of the Secrets a pod template references. */
  public static Set<String> referencedSecrets(PodTemplateSpec template) {
    return referenced(template, Source.SECRET);
  }

  private static Set<String> referenced(PodTemplateSpec template, Source source) {
    var names = new LinkedHashSet<String>();
    if (template != null) {
      visit(
          Serialization.clone(template),
          source,
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
   * The ConfigMap copies to delete: the rollout's copies that no template in use (its ReplicaSets',
   * the declared one's) names any more.
   */
  public static List<String> prunable(
      Collection<String> copies, Collection<PodTemplateSpec> templatesInUse) {
    return prunable(copies, templatesInUse, Source.CONFIG_MAP);
  }

  /** The Secret copies to delete, as {@link #prunable} for ConfigMaps. */
  public static List<String> prunableSecrets(
      Collection<String> copies, Collection<PodTemplateSpec> templatesInUse) {
    return prunable(copies, templatesInUse, Source.SECRET);
  }

  private static List<String> prunable(
      Collection<String> copies, Collection<PodTemplateSpec> templatesInUse, Source source) {
    var named = new LinkedHashSet<String>();
    templatesInUse.forEach(t -> named.addAll(referenced(t, source)));
    return copies.stream().filter(c -> !named.contains(c)).sorted().toList();
  }

  /** {@code <name>-<digest of data and binaryData>}. */
  static String copyName(ConfigMap configMap) {
    var content = new TreeMap<String, Object>();
    content.put("data", new TreeMap<>(orEmpty(configMap.getData())));
    content.put("binaryData", new TreeMap<>(orEmpty(configMap.getBinaryData())));
    return configMap.getMetadata().getName() + "-" + digest(Serialization.asJson(content));
  }

  /**
   * {@code <name>-<digest of uid and resourceVersion>}: nothing of the values (see the class
   * comment), and a new name whenever the Secret is written.
   */
  static String secretCopyName(Secret secret) {
    var meta = secret.getMetadata();
    return meta.getName() + "-" + digest(meta.getUid() + "/" + meta.getResourceVersion());
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

  /** The kinds of object a pod template reads its configuration from. */
  private enum Source {
    CONFIG_MAP,
    SECRET
  }

  /**
   * Every name of {@code source} in the template, replaced in place by what {@code rename} gives.
   */
  private static void visit(PodTemplateSpec template, Source source, UnaryOperator<String> rename) {
    var spec = template.getSpec();
    if (spec == null) {
      return;
    }
    Stream.of(spec.getInitContainers(), spec.getContainers())
        .filter(list -> list != null)
        .flatMap(List::stream)
        .forEach(container -> visit(container, source, rename));
    if (spec.getVolumes() == null) {
      return;
    }
    for (var volume : spec.getVolumes()) {
      if (source == Source.CONFIG_MAP && volume.getConfigMap() != null) {
        rename(volume.getConfigMap().getName(), rename, volume.getConfigMap()::setName);
      }
      if (source == Source.SECRET && volume.getSecret() != null) {
        rename(volume.getSecret().getSecretName(), rename, volume.getSecret()::setSecretName);
      }
      if (volume.getProjected() != null && volume.getProjected().getSources() != null) {
        for (var projection : volume.getProjected().getSources()) {
          if (source == Source.CONFIG_MAP && projection.getConfigMap() != null) {
            rename(projection.getConfigMap().getName(), rename, projection.getConfigMap()::setName);
          }
          if (source == Source.SECRET && projection.getSecret() != null) {
            rename(projection.getSecret().getName(), rename, projection.getSecret()::setName);
          }
        }
      }
    }
  }

  private static void visit(Container container, Source source, UnaryOperator<String> rename) {
    if (container.getEnv() != null) {
      for (var env : container.getEnv()) {
        var from = env.getValueFrom();
        if (from == null) {
          continue;
        }
        if (source == Source.CONFIG_MAP && from.getConfigMapKeyRef() != null) {
          var ref = from.getConfigMapKeyRef();
          rename(ref.getName(), rename, ref::setName);
        }
        if (source == Source.SECRET && from.getSecretKeyRef() != null) {
          var ref = from.getSecretKeyRef();
          rename(ref.getName(), rename, ref::setName);
        }
      }
    }
    if (container.getEnvFrom() != null) {
      for (var envFrom : container.getEnvFrom()) {
        if (source == Source.CONFIG_MAP && envFrom.getConfigMapRef() != null) {
          var ref = envFrom.getConfigMapRef();
          rename(ref.getName(), rename, ref::setName);
        }
        if (source == Source.SECRET && envFrom.getSecretRef() != null) {
          var ref = envFrom.getSecretRef();
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
   * @param template the declared template with references replaced by their copies
   * @param copies each ConfigMap copy's name, with the live ConfigMap it copies
   * @param secretCopies each Secret copy's name, with the offered Secret it copies
   * @param secretsNotSnapshotted the Secrets the template names that were not offered (or do not
   *     exist): referenced as they are
   */
  public record Snapshot(
      PodTemplateSpec template,
      Map<String, ConfigMap> copies,
      Map<String, Secret> secretCopies,
      Set<String> secretsNotSnapshotted) {}
}
