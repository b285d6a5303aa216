package dev.weir.api;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;

/**
 * The identity of a revision: a short hash of the pod template, as Deployments compute it (FNV-1a
 * over the template, encoded with the alphabet Kubernetes uses so that the hash never spells a
 * word). The hash label itself is left out, so the hash of a ReplicaSet's template equals the hash
 * of the Rollout template it came from.
 */
public final class PodTemplateHash {

  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  // Sorted keys make the serialised template, and so the hash, independent of field order.
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private PodTemplateHash() {}

  public static String of(PodTemplateSpec template) {
    PodTemplateSpec copy = Serialization.clone(template);
    if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
      var labels = new HashMap<>(copy.getMetadata().getLabels());
      labels.remove(WellKnownNames.POD_TEMPLATE_HASH_LABEL);
      copy.getMetadata().setLabels(labels);
    }
    byte[] bytes;
    try {
      bytes = CANONICAL.writeValueAsString(copy).getBytes(StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new IllegalStateException("pod template cannot be serialised", e);
    }
    int hash = 0x811c9dc5;
    for (byte b : bytes) {
      hash ^= (b & 0xff);
      hash *= 0x01000193;
    }
    return encode(Integer.toUnsignedLong(hash));
  }

  // Base 27 over the Kubernetes alphabet (no vowels, no digits that look like letters).
  private static String encode(long value) {
    var out = new StringBuilder();
    do {
      out.append(ALPHABET.charAt((int) (value % ALPHABET.length())));
      value /= ALPHABET.length();
    } while (value > 0);
    return out.toString();
  }
}
