package dev.weir.cli.convert;

import dev.weir.cli.manifest.YamlDocument;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every object of the files given, to be found by kind and name: a Canary's Deployment, HPA and
 * metric templates, an Argo Rollout's workloadRef. An object another one is made of is consumed: it
 * becomes part of that one's conversion instead of being written out on its own.
 */
final class Inputs {

  private final Map<String, YamlDocument> byKey = new HashMap<>();
  private final Set<YamlDocument> consumed = Collections.newSetFromMap(new IdentityHashMap<>());

  Inputs(List<YamlDocument> documents) {
    for (YamlDocument doc : documents) {
      byKey.putIfAbsent(key(doc.kind(), doc.namespace(), doc.name()), doc);
    }
  }

  private static String key(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }

  /** The object of that kind, namespace and name among the files given, or null. */
  YamlDocument find(String kind, String namespace, String name) {
    return byKey.get(key(kind, namespace, name));
  }

  /** Marks {@code doc} as part of the conversion of another object. */
  void consume(YamlDocument doc) {
    consumed.add(doc);
  }

  /** Whether {@code doc} became part of another object's conversion. */
  boolean consumed(YamlDocument doc) {
    return consumed.contains(doc);
  }
}
