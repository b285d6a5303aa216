package dev.weir.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.NotificationPolicy;
import dev.weir.api.v1alpha1.NotificationTrigger;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which policies' destinations a notice goes to: label selectors as Kubernetes matches them. */
class PolicyMatchTest {

  private static final Map<String, String> CHECKOUT = Map.of("app", "checkout", "team", "payments");

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "matchLabels: {}|true",
        "matchLabels: {team: payments}|true",
        "matchLabels: {team: payments, app: cart}|false",
        "matchExpressions: [{key: team, operator: In, values: [payments, search]}]|true",
        "matchExpressions: [{key: team, operator: NotIn, values: [payments]}]|false",
        "matchExpressions: [{key: tier, operator: NotIn, values: [batch]}]|true",
        "matchExpressions: [{key: app, operator: Exists}]|true",
        "matchExpressions: [{key: app, operator: DoesNotExist}]|false",
        "matchExpressions: [{key: app, operator: Is, values: [checkout]}]|false",
      })
  void selectorsMatchTheRolloutsLabels(String selector, boolean matches) {
    assertThat(
            PolicyMatch.matches(Serialization.unmarshal(selector, LabelSelector.class), CHECKOUT))
        .isEqualTo(matches);
  }

  @Test
  void everyDestinationOfEveryPolicyListeningForTheTrigger() {
    var policies =
        List.of(
            policy(
                "b-feed", "[Aborted, Promoted]", "{matchLabels: {team: payments}}", "one", "two"),
            policy("a-pager", "[Aborted]", "{}", "pager"),
            policy("c-cart", "[Aborted]", "{matchLabels: {app: cart}}", "cart"),
            policy("d-started", "[ReleaseStarted]", "{}", "started"));

    assertThat(PolicyMatch.targets(policies, CHECKOUT, NotificationTrigger.Aborted))
        .extracting(t -> t.policy() + "/" + t.destination().name)
        .containsExactly("a-pager/pager", "b-feed/one", "b-feed/two");
    assertThat(PolicyMatch.targets(policies, null, NotificationTrigger.ReleaseStarted))
        .extracting(t -> t.policy() + "/" + t.destination().name)
        .containsExactly("d-started/started");
  }

  private static NotificationPolicy policy(
      String name, String triggers, String selector, String... destinations) {
    var yaml = new StringBuilder();
    yaml.append("metadata: {name: ").append(name).append("}\nspec:\n");
    yaml.append("  triggers: ").append(triggers).append("\n  selector: ").append(selector);
    yaml.append("\n  destinations:\n");
    for (String d : destinations) {
      yaml.append("    - {name: ")
          .append(d)
          .append(", webhook: {url: 'http://h/")
          .append(d)
          .append("'}}\n");
    }
    return Serialization.unmarshal(yaml.toString(), NotificationPolicy.class);
  }
}
