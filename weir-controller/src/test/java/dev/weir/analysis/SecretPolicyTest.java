package dev.weir.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What an analysis may read and where it may send it, as the InvalidSpec a rollout or a run gets:
 * Secrets only when they opted in, values from them only to the addresses the operator allowed; the
 * problem names the field, the arg and the Secret.
 */
class SecretPolicyTest {

  private static final String ARGS = "spec.strategy.canary.steps[2].analysis.args";
  private static final String METRIC =
      "spec.strategy.canary.steps[2].analysis.templates[0] (AnalysisTemplate t).metrics[0] (m)";

  private final SecretPolicy policy =
      new SecretPolicy(
          AllowedAddresses.of(
              List.of("http://prometheus.monitoring:9090", "https://thanos.example/tenant-a")),
          Optional.of("http://prometheus.monitoring:9090"));

  /** The Secrets of namespace shop that opted in. */
  private final Set<String> optedIn = Set.of("prom-token", "tenant", "basic");

  private final OptedInSecrets secrets =
      (namespace, name) ->
          namespace.equals("shop") && optedIn.contains(name)
              ? Optional.of(secret(name))
              : Optional.empty();

  private static Secret secret(String name) {
    return new SecretBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  /** A metric {@code m} whose provider.prometheus is the YAML given. */
  private static String prometheus(String yaml) {
    return "name: m\nsuccessCondition: 'true'\nprovider:\n  prometheus:\n" + yaml.indent(4);
  }

  private List<SpecProblem> check(String argsYaml, String metricYaml) {
    var args = List.of(Serialization.unmarshal(argsYaml, AnalysisArgument[].class));
    var metric = Serialization.unmarshal(metricYaml, Metric.class);
    var problems = new ArrayList<SpecProblem>();
    policy.check(ARGS, args, List.of(metric), List.of(METRIC), "shop", secrets, problems);
    return problems;
  }

  private static final String TOKEN_ARG =
      """
      - name: token
        valueFrom: {secretKeyRef: {name: prom-token, key: token}}
      - name: host
        value: prometheus.monitoring
      """;

  @Test
  void aSecretThatDidNotOptInIsAProblemNamingTheArgAndTheSecret() {
    var problems =
        check(
            """
            - name: token
              valueFrom: {secretKeyRef: {name: db-password, key: password}}
            """,
            "name: m\nsuccessCondition: 'true'\nprovider: {prometheus: {query: up}}");

    assertThat(problems)
        .extracting(SpecProblem::toString)
        .containsExactly(
            ARGS
                + ": arg 'token': Secret shop/db-password does not exist or has not opted in to"
                + " analysis (label it weir.dev/analysis-secret=true)");
  }

  @Test
  void credentialsFromASecretThatDidNotOptInAreAProblemOfTheirField() {
    var problems =
        check(
            "[]",
            prometheus(
                """
            query: up
            authentication: {bearerToken: {name: other-token, key: token}}
            """));

    assertThat(problems)
        .extracting(SpecProblem::toString)
        .containsExactly(
            METRIC
                + ".provider.prometheus.authentication.bearerToken: Secret shop/other-token does"
                + " not exist or has not opted in to analysis (label it"
                + " weir.dev/analysis-secret=true)");
  }

  @Test
  void aSecretBackedHeaderForAnAddressOutsideTheListIsAProblemOfTheAddress() {
    var problems =
        check(
            TOKEN_ARG,
            prometheus(
                """
            address: http://127.0.0.2:8080
            query: up
            headers: [{name: X-Api-Key, value: "{{args.token}}"}]
            """));

    assertThat(problems)
        .extracting(SpecProblem::toString)
        .containsExactly(
            METRIC
                + ".provider.prometheus.address: http://127.0.0.2:8080 is not an allowed"
                + " Prometheus address (weir.prometheus.allowed-addresses:"
                + " [http://prometheus.monitoring:9090, https://thanos.example/tenant-a]), and the"
                + " metric would send it values from Secrets: header 'X-Api-Key' (arg 'token')");
  }

  @Test
  void everythingDerivedFromASecretIsNamed() {
    var problems =
        check(
            TOKEN_ARG,
            """
            name: m
            successCondition: 'true'
            minSamples: {threshold: 1, query: "count(up{t='{{args.token}}'})"}
            provider:
              prometheus:
                address: https://thanos.example/tenant-b
                query: "up{t='{{args.token}}'}"
                authentication: {basicAuthSecret: {name: basic}}
            """);

    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).field()).isEqualTo(METRIC + ".provider.prometheus.address");
    assertThat(problems.get(0).message())
        .startsWith("https://thanos.example/tenant-b is not an allowed Prometheus address")
        .endsWith(
            "values from Secrets: the query (arg 'token'), the minSamples query (arg 'token'),"
                + " basic auth (Secret basic)");
  }

  @Test
  void anAddressMadeOfPlainArgsIsJudgedWithThemFilledIn() {
    String metric =
        prometheus(
            """
        address: "http://{{args.host}}:9090"
        query: up
        authentication: {bearerToken: {name: prom-token, key: token}}
        """);
    assertThat(check(TOKEN_ARG, metric)).isEmpty();
    assertThat(check(TOKEN_ARG.replace("prometheus.monitoring", "evil.example"), metric))
        .extracting(SpecProblem::message)
        .singleElement()
        .asString()
        .startsWith("http://evil.example:9090 is not an allowed Prometheus address")
        .endsWith("the bearer token (Secret prom-token)");
  }

  @Test
  void whatNeedsNoSecretGoesAnywhereAndSecretsGoToTheAllowedAddresses() {
    assertThat(
            check(
                TOKEN_ARG,
                prometheus(
                    """
                address: http://127.0.0.2:8080
                query: up
                headers: [{name: X-Scope-OrgID, value: "{{args.host}}"}]
                """)))
        .as("an address outside the list, nothing from a Secret")
        .isEmpty();
    assertThat(
            check(
                TOKEN_ARG,
                prometheus(
                    """
                query: up
                headers: [{name: X-Api-Key, value: "{{args.token}}"}]
                """)))
        .as("the default address")
        .isEmpty();
    assertThat(
            check(
                TOKEN_ARG,
                prometheus(
                    """
                address: https://thanos.example/tenant-a/
                query: up
                authentication: {bearerToken: {name: prom-token, key: token}}
                """)))
        .as("under an allowed prefix")
        .isEmpty();
  }

  @Test
  void anAddressTakenFromASecretIsJudgedBeforeEachRequestInstead() {
    assertThat(
            check(
                """
                - name: url
                  valueFrom: {secretKeyRef: {name: prom-token, key: url}}
                """,
                """
                name: m
                successCondition: 'true'
                provider: {prometheus: {address: "{{args.url}}", query: up}}
                """))
        .isEmpty();
  }

  @Test
  void theSecretsAnAnalysisNamesAreKnownWithoutReadingThem() {
    var args = List.of(Serialization.unmarshal(TOKEN_ARG, AnalysisArgument[].class));
    var metric =
        Serialization.unmarshal(
            "name: m\nprovider: {prometheus: {query: up, authentication:"
                + " {basicAuthSecret: {name: basic}}}}",
            Metric.class);
    assertThat(SecretPolicy.secretsNamed(args, List.of(metric)))
        .containsExactly("prom-token", "basic");
  }
}
