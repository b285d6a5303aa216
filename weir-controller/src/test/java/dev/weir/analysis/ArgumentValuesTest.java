package dev.weir.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.analysis.ArgumentValues.MissingValue;
import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.ArgumentValueFrom;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The args of a run at one measurement: {{args.NAME}} filled into queries and headers,
 * Secret-backed values read just then, and masked as ***** in whatever message repeats them.
 */
class ArgumentValuesTest {

  /** The Secrets of the run's namespace: "secret/key" -> value. */
  private static final Map<String, String> SECRETS =
      Map.of(
          "prometheus-auth/token", "s3cr3t-t0ken",
          "shop-analysis/tenant", "acme-prod");

  private final List<String> reads = new ArrayList<>();

  private final ArgumentValues.SecretReader secrets =
      (name, key) -> {
        reads.add(name + "/" + key);
        String value = SECRETS.get(name + "/" + key);
        if (value == null) {
          throw new MissingValue("Secret " + name + " has no key " + key);
        }
        return value;
      };

  private static AnalysisArgument fromSecret(String arg, String secret, String key) {
    var argument = new AnalysisArgument(arg, null);
    argument.valueFrom = new ArgumentValueFrom();
    argument.valueFrom.secretKeyRef = new SecretKeySelector(key, secret, false);
    return argument;
  }

  private static AnalysisArgument fromField(String arg, String path) {
    var argument = new AnalysisArgument(arg, null);
    argument.valueFrom = new ArgumentValueFrom();
    argument.valueFrom.fieldRef = new ObjectFieldSelector(null, path);
    return argument;
  }

  private ArgumentValues plain() {
    return ArgumentValues.of(
        List.of(
            new AnalysisArgument("service", "checkout"),
            new AnalysisArgument("namespace", "shop"),
            new AnalysisArgument("window", "2m"),
            new AnalysisArgument("canary-hash", "6d4f8b9c7"),
            new AnalysisArgument("label_value.v2", "blue"),
            new AnalysisArgument("regex", "5\\d\\d$1"),
            new AnalysisArgument("empty", "")),
        secrets);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          rate(requests{service="{{args.service}}"}[{{args.window}}])      | rate(requests{service="checkout"}[2m])
          {{ args.service }}.{{args.namespace}}.svc                        | checkout.shop.svc
          {{args.service}}-canary/{{args.service}}-stable                  | checkout-canary/checkout-stable
          pod_template_hash="{{args.canary-hash}}"                          | pod_template_hash="6d4f8b9c7"
          color="{{args.label_value.v2}}"                                   | color="blue"
          code=~"{{args.regex}}"                                            | code=~"5\\d\\d$1"
          suffix="{{args.empty}}"                                           | suffix=""
          sum(up)                                                           | sum(up)
          {{ARGS.service}} {args.service} {{args.}} {{service}}             | {{ARGS.service}} {args.service} {{args.}} {{service}}
          """)
  void placeholdersAreFilledWithTheArgsValues(String text, String filled) {
    assertThat(plain().substitute(text)).isEqualTo(filled);
  }

  @Test
  void nothingToFillIsNothing() {
    assertThat(plain().substitute(null)).isNull();
    assertThat(plain().substitute("")).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          up{service="{{args.servce}}"}               | arg 'servce' has no value
          up{pod="{{args.pod}}", ns="{{args.ns}}"}    | arg 'pod' has no value
          """)
  void anArgWithoutAValueIsAMissingValue(String text, String message) {
    var values =
        ArgumentValues.of(
            List.of(new AnalysisArgument("service", "checkout"), fromField("pod", "metadata.name")),
            secrets);

    assertThatThrownBy(() -> values.substitute(text))
        .isInstanceOf(MissingValue.class)
        .hasMessage(message);
  }

  @Test
  void aRunWithoutArgsFillsNothing() {
    var values = ArgumentValues.of(null, secrets);

    assertThat(values.substitute("sum(up)")).isEqualTo("sum(up)");
    assertThatThrownBy(() -> values.substitute("up{service=\"{{args.service}}\"}"))
        .isInstanceOf(MissingValue.class)
        .hasMessage("arg 'service' has no value");
  }

  @Test
  void aSecretBackedArgIsReadFromItsSecret() {
    var values =
        ArgumentValues.of(
            List.of(
                new AnalysisArgument("service", "checkout"),
                fromSecret("tenant", "shop-analysis", "tenant")),
            secrets);

    assertThat(values.substitute("up{tenant=\"{{args.tenant}}\",service=\"{{args.service}}\"}"))
        .isEqualTo("up{tenant=\"acme-prod\",service=\"checkout\"}");
    assertThat(reads).containsExactly("shop-analysis/tenant");
  }

  @Test
  void aSecretThatCannotBeReadSaysWhichKeyNotItsValue() {
    assertThatThrownBy(
            () ->
                ArgumentValues.of(
                    List.of(fromSecret("token", "prometheus-auth", "password")), secrets))
        .isInstanceOf(MissingValue.class)
        .hasMessage("Secret prometheus-auth has no key password");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          bad query: up{tenant="acme-prod"}                          | bad query: up{tenant="*****"}
          acme-prod acme-prod                                        | ***** *****
          401 for token s3cr3t-t0ken at tenant acme-prod             | 401 for token ***** at tenant *****
          service checkout in shop is fine                           | service checkout in shop is fine
          """)
  void secretValuesAreMaskedInMessages(String message, String masked) {
    var values =
        ArgumentValues.of(
            List.of(
                new AnalysisArgument("service", "checkout"),
                new AnalysisArgument("namespace", "shop"),
                fromSecret("tenant", "shop-analysis", "tenant")),
            secrets);
    values.secret(secrets.read("prometheus-auth", "token"));

    assertThat(values.mask(message)).isEqualTo(masked);
  }

  @Test
  void aCredentialReadForTheQueryIsMaskedToo() {
    var values = ArgumentValues.of(List.of(new AnalysisArgument("service", "checkout")), secrets);

    values.secret("Basic dXNlcjpwYXNz");

    assertThat(values.mask("Authorization: Basic dXNlcjpwYXNz rejected"))
        .isEqualTo("Authorization: ***** rejected");
  }

  @Test
  void emptySecretsMaskNothing() {
    var values = ArgumentValues.of(List.of(), secrets);

    values.secret("");
    values.secret(null);

    assertThat(values.mask("connection refused")).isEqualTo("connection refused");
    assertThat(values.mask(null)).isNull();
  }

  @Test
  void aSecretThatContainsAnotherIsMaskedWhole() {
    var values = ArgumentValues.of(List.of(), secrets);
    values.secret("acme");
    values.secret("acme-prod");

    assertThat(values.mask("tenant acme-prod unknown")).isEqualTo("tenant ***** unknown");
  }
}
