package dev.weir.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.AnalysisRunSpec;
import dev.weir.api.v1alpha1.AnalysisTemplate;
import dev.weir.api.v1alpha1.AnalysisTemplateRef;
import dev.weir.api.v1alpha1.ArgumentValueFrom;
import dev.weir.api.v1alpha1.CanaryStep;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutAnalysis;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.testing.Manifests;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.Tier;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets go only where the operator allows (docs/security.md), as a template's author and the
 * operator see it: a template that would send a Secret to an address of its author's choosing is an
 * InvalidSpec and not one request leaves (a real HTTP listener on a second loopback address waits
 * for it in vain); a Secret that did not opt in is never read, and labelling it lets the release go
 * on at once. Weir runs with the default settings: only the default Prometheus (the real one,
 * scraping the simulated mesh) is allowed.
 */
abstract class SecretScenarios extends MeshStories {

  private static final String TOKEN = "s3cr3t-t0ken-4242";

  private HttpServer rogue;
  private final AtomicInteger rogueRequests = new AtomicInteger();

  SecretScenarios(Tier tier) {
    super(tier);
  }

  @Override
  Rollout firstRollout() {
    var rollout = Manifests.compressedClassicCanary();
    rollout.getMetadata().setNamespace(namespace);
    return rollout;
  }

  @Override
  List<String> exampleTraffic() {
    return List.of(
        "examples/canary-istio/services.yaml", "examples/canary-istio/virtualservice.yaml");
  }

  /** What the API server saw Weir ask for; nothing on a tier that cannot tell. */
  abstract void assertWeirNeverAskedFor(String secret);

  @AfterEach
  void stopRogueListener() {
    if (rogue != null) {
      rogue.stop(0);
    }
  }

  /** A real HTTP listener on 127.0.0.2, a loopback address no operator allowed. */
  String givenARogueListener() throws IOException {
    rogue = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
    rogue.createContext(
        "/",
        exchange -> {
          rogueRequests.incrementAndGet();
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        });
    rogue.start();
    return "http://127.0.0.2:" + rogue.getAddress().getPort();
  }

  Secret givenASecret(String name, String key, String value, boolean optedIn) {
    var metadata = new ObjectMetaBuilder().withName(name).withNamespace(namespace);
    if (optedIn) {
      metadata.addToLabels(
          WellKnownNames.ANALYSIS_SECRET_LABEL, WellKnownNames.ANALYSIS_SECRET_OPT_IN);
    }
    return client()
        .resource(
            new SecretBuilder()
                .withMetadata(metadata.build())
                .withStringData(Map.of(key, value))
                .build())
        .create();
  }

  /** A template whose one metric asks {@code address} (none: the default) with a header. */
  void givenATemplate(String name, String address, String header, String arg) {
    var template =
        Serialization.unmarshal(
            """
            apiVersion: weir.dev/v1alpha1
            kind: AnalysisTemplate
            metadata:
              name: %s
            spec:
              args: [{name: %s}]
              metrics:
                - name: %s
                  successCondition: "result[0] == 1.0"
                  consecutiveErrorLimit: 0
                  provider:
                    prometheus:
                      %s
                      query: vector(1)
                      headers: [{name: %s, value: "{{args.%s}}"}]
            """
                .formatted(
                    name, arg, name, address == null ? "" : "address: " + address, header, arg),
            AnalysisTemplate.class);
    template.getMetadata().setNamespace(namespace);
    client().resource(template).create();
  }

  static AnalysisArgument fromSecret(String arg, String secret, String key) {
    var argument = new AnalysisArgument(arg, null);
    argument.valueFrom = new ArgumentValueFrom();
    argument.valueFrom.secretKeyRef = new SecretKeySelector(key, secret, false);
    return argument;
  }

  /** v2 declared with its steps: 20 %, an analysis of {@code template} with {@code arg}, 60 %. */
  void whenV2IsReleasedJudgedBy(String template, AnalysisArgument arg) {
    checkout.edit(
        r -> {
          r.getSpec().template.getSpec().getContainers().get(0).setImage(V2);
          var analysis = new CanaryStep();
          analysis.analysis = new RolloutAnalysis();
          analysis.analysis.templates = List.of(new AnalysisTemplateRef(template));
          analysis.analysis.args = new ArrayList<>(List.of(arg));
          r.getSpec().strategy.canary.steps = List.of(weight(20), analysis, weight(60));
          return r;
        });
  }

  private static CanaryStep weight(int percent) {
    var step = new CanaryStep();
    step.setWeight = percent;
    return step;
  }

  int canaryWeight() {
    return checkout.canaryWeight("checkout", "primary", "checkout-canary");
  }

  List<AnalysisRun> analysisRuns() {
    return client().resources(AnalysisRun.class).inNamespace(namespace).list().getItems();
  }

  /** Everything a user can read about the release: status, runs, Events. */
  String whatUsersSee() {
    var events =
        client().v1().events().inNamespace(namespace).list().getItems().stream()
            .map(Event::getMessage)
            .toList();
    return Serialization.asYaml(checkout.rollout()) + Serialization.asYaml(analysisRuns()) + events;
  }

  @Test
  void aTemplateSendingASecretToAnAddressTheOperatorDidNotAllowIsAnInvalidSpecAndNothingLeaves()
      throws IOException {
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    var replicas = checkout.replicasByRevision();
    String rogueAddress = givenARogueListener();
    givenASecret("prometheus-token", "token", TOKEN, true);
    givenATemplate("exfiltrate", rogueAddress, "X-Api-Key", "token");

    whenV2IsReleasedJudgedBy("exfiltrate", fromSecret("token", "prometheus-token", "token"));

    var invalid =
        checkout.awaitStatus(
            "InvalidSpec naming the address", s -> checkout.condition("InvalidSpec"));
    assertThat(invalid.message)
        .contains(
            "spec.strategy.canary.steps[1].analysis.templates[0] (AnalysisTemplate exfiltrate)"
                + ".metrics[0] (exfiltrate).provider.prometheus.address: "
                + rogueAddress
                + " is not an allowed Prometheus address (weir.prometheus.allowed-addresses: ["
                + prometheus.address()
                + "]), and the metric would send it values from Secrets: header 'X-Api-Key'"
                + " (arg 'token')");
    assertThat(invalid.stableRS).isEqualTo(v1);
    assertThat(canaryWeight()).isZero();
    assertThat(checkout.replicasByRevision()).isEqualTo(replicas);
    assertThat(analysisRuns()).isEmpty();

    // The same metric in a run written by hand: refused before its first measurement.
    var run = new AnalysisRun();
    run.setMetadata(new ObjectMetaBuilder().withName("by-hand").withNamespace(namespace).build());
    run.setSpec(new AnalysisRunSpec());
    var template =
        client()
            .resources(AnalysisTemplate.class)
            .inNamespace(namespace)
            .withName("exfiltrate")
            .get();
    run.getSpec().metrics = template.getSpec().metrics;
    run.getSpec().args = List.of(fromSecret("token", "prometheus-token", "token"));
    client().resource(run).create();
    await("the run by hand refused")
        .atMost(RolloutScenario.PATIENCE)
        .until(() -> phaseOf("by-hand") == AnalysisPhase.Error);
    assertThat(runStatus("by-hand").message)
        .startsWith(
            "invalid spec: spec.metrics[0] (exfiltrate).provider.prometheus.address: "
                + rogueAddress
                + " is not an allowed Prometheus address");

    await("no request at the rogue listener, for a while")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> rogueRequests.get() == 0);
    assertThat(whatUsersSee()).doesNotContain(TOKEN);
  }

  @Test
  void aSecretThatHasNotOptedInIsAnInvalidSpecUntilLabelledThenTheReleaseGoesOn() {
    givenStableV1(BUSY);
    String v1 = checkout.status().stableRS;
    var secret = givenASecret("prometheus-tenant", "tenant", TOKEN, false);
    givenATemplate("tenant-check", null, "X-Scope-OrgID", "tenant");

    whenV2IsReleasedJudgedBy("tenant-check", fromSecret("tenant", "prometheus-tenant", "tenant"));

    var invalid =
        checkout.awaitStatus(
            "InvalidSpec naming the arg and the Secret", s -> checkout.condition("InvalidSpec"));
    assertThat(invalid.message)
        .contains(
            "spec.strategy.canary.steps[1].analysis.args: arg 'tenant': Secret "
                + namespace
                + "/prometheus-tenant does not exist or has not opted in to analysis (label it"
                + " weir.dev/analysis-secret=true)");
    assertThat(invalid.stableRS).isEqualTo(v1);
    assertThat(canaryWeight()).isZero();
    assertThat(analysisRuns()).isEmpty();
    assertWeirNeverAskedFor("prometheus-tenant");

    // The Secret's owner offers it to analysis; nothing else changes.
    client()
        .secrets()
        .inNamespace(namespace)
        .withName(secret.getMetadata().getName())
        .edit(
            s -> {
              s.getMetadata()
                  .getLabels()
                  .put(WellKnownNames.ANALYSIS_SECRET_LABEL, WellKnownNames.ANALYSIS_SECRET_OPT_IN);
              return s;
            });

    // Well within the periodic reconcile (5 minutes): the label woke the rollout.
    var promoted =
        checkout.awaitStatus(
            "v2 judged and promoted",
            s ->
                !checkout.condition("InvalidSpec")
                    && s.phase == RolloutPhase.Healthy
                    && s.currentPodHash.equals(s.stableRS));
    assertThat(promoted.stableRS).isNotEqualTo(v1);
    assertThat(analysisRuns())
        .singleElement()
        .satisfies(r -> assertThat(r.getStatus().phase).isEqualTo(AnalysisPhase.Successful));
    assertThat(whatUsersSee()).doesNotContain(TOKEN);
    assertWeirNeverAskedFor("prometheus-tenant");
  }

  AnalysisPhase phaseOf(String run) {
    var status = runStatus(run);
    return status == null ? null : status.phase;
  }

  dev.weir.api.v1alpha1.AnalysisRunStatus runStatus(String run) {
    var found = client().resources(AnalysisRun.class).inNamespace(namespace).withName(run).get();
    return found == null ? null : found.getStatus();
  }
}
