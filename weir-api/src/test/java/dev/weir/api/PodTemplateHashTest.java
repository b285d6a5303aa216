package dev.weir.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The revision identity: what changes the hash of a pod template, and what must not. */
class PodTemplateHashTest {

  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private static Map<String, String> ordered(String... keysAndValues) {
    var map = new LinkedHashMap<String, String>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static PodTemplateSpec template() {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(ordered("app", "checkout", "tier", "web"))
        .withAnnotations(ordered("team", "payments", "prometheus.io/scrape", "true"))
        .endMetadata()
        .withNewSpec()
        .withNodeSelector(ordered("zone", "a", "disk", "ssd"))
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/checkout:2.4.1")
        .addNewEnv()
        .withName("MODE")
        .withValue("fast")
        .endEnv()
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void sameTemplateSameHashWhateverTheOrderOfItsMaps() {
    var reordered = template();
    reordered.getMetadata().setLabels(ordered("tier", "web", "app", "checkout"));
    reordered
        .getMetadata()
        .setAnnotations(ordered("prometheus.io/scrape", "true", "team", "payments"));
    reordered.getSpec().setNodeSelector(ordered("disk", "ssd", "zone", "a"));

    assertThat(PodTemplateHash.of(reordered)).isEqualTo(PodTemplateHash.of(template()));
  }

  @Test
  void sameTemplateWrittenInAnotherFieldOrderSameHash() {
    String one =
        """
        metadata:
          labels: {app: checkout, tier: web}
        spec:
          containers:
            - name: app
              image: registry.example/checkout:2.4.1
              ports: [{containerPort: 8080}]
        """;
    String other =
        """
        spec:
          containers:
            - ports: [{containerPort: 8080}]
              image: registry.example/checkout:2.4.1
              name: app
        metadata:
          labels: {tier: web, app: checkout}
        """;

    assertThat(PodTemplateHash.of(Serialization.unmarshal(other, PodTemplateSpec.class)))
        .isEqualTo(PodTemplateHash.of(Serialization.unmarshal(one, PodTemplateSpec.class)));
  }

  @Test
  void theHashIsStableFromCallToCall() {
    assertThat(PodTemplateHash.of(template())).isEqualTo(PodTemplateHash.of(template()));
  }

  static Stream<Arguments> changes() {
    return Stream.of(
        change(
            "image tag",
            t -> t.getSpec().getContainers().get(0).setImage("registry.example/checkout:2.4.2")),
        change(
            "env value", t -> t.getSpec().getContainers().get(0).getEnv().get(0).setValue("slow")),
        change(
            "env added",
            t ->
                t.getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv()
                    .add(new io.fabric8.kubernetes.api.model.EnvVar("DEBUG", "1", null))),
        change("label value", t -> t.getMetadata().getLabels().put("tier", "api")),
        change("label added", t -> t.getMetadata().getLabels().put("version", "2")),
        change("label removed", t -> t.getMetadata().getLabels().remove("tier")),
        change("annotation", t -> t.getMetadata().getAnnotations().put("team", "search")),
        change("node selector", t -> t.getSpec().getNodeSelector().put("zone", "b")),
        change(
            "resources",
            t ->
                t.getSpec()
                    .getContainers()
                    .get(0)
                    .setResources(
                        new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                            .addToLimits("cpu", new Quantity("500m"))
                            .build())),
        change("container name", t -> t.getSpec().getContainers().get(0).setName("main")));
  }

  private static Arguments change(String what, Consumer<PodTemplateSpec> change) {
    return Arguments.of(what, change);
  }

  @ParameterizedTest(name = "{0} changes the hash")
  @MethodSource("changes")
  void anyChangeIsANewRevision(String what, Consumer<PodTemplateSpec> change) {
    var changed = template();
    change.accept(changed);

    assertThat(PodTemplateHash.of(changed)).isNotEqualTo(PodTemplateHash.of(template()));
  }

  @Test
  void theHashLabelItselfIsLeftOut() {
    String hash = PodTemplateHash.of(template());
    var onReplicaSet = template();
    onReplicaSet.getMetadata().getLabels().put(WellKnownNames.POD_TEMPLATE_HASH_LABEL, hash);
    var stale = template();
    stale.getMetadata().getLabels().put(WellKnownNames.POD_TEMPLATE_HASH_LABEL, "somethingelse");

    assertThat(PodTemplateHash.of(onReplicaSet)).isEqualTo(hash);
    assertThat(PodTemplateHash.of(stale)).isEqualTo(hash);
    // Hashing does not take the label off the caller's template.
    assertThat(onReplicaSet.getMetadata().getLabels())
        .containsEntry(WellKnownNames.POD_TEMPLATE_HASH_LABEL, hash);
  }

  @Test
  void aTemplateWithoutLabelsHasAHashToo() {
    var bare = template();
    bare.getMetadata().setLabels(null);

    assertThat(PodTemplateHash.of(bare)).isNotEmpty().isNotEqualTo(PodTemplateHash.of(template()));
  }

  @Test
  void onlyCharactersOfTheAlphabetAndFewCollisions() {
    var hashes = new HashSet<String>();
    IntStream.range(0, 500)
        .forEach(
            i -> {
              var t = template();
              t.getSpec().getContainers().get(0).setImage("registry.example/checkout:" + i);
              hashes.add(PodTemplateHash.of(t));
            });

    assertThat(hashes).hasSize(500);
    assertThat(hashes)
        .allSatisfy(
            h ->
                assertThat(h)
                    .isNotEmpty()
                    .hasSizeLessThanOrEqualTo(10)
                    .matches("[" + ALPHABET + "]+"));
  }
}
