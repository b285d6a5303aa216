package dev.weir.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.ChatFormat;
import dev.weir.api.v1alpha1.NotificationHeader;
import dev.weir.api.v1alpha1.NotificationPolicy;
import dev.weir.api.v1alpha1.NotificationPolicySpec;
import dev.weir.api.v1alpha1.SecretValueSource;
import dev.weir.api.v1alpha1.SpecProblem;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule of a NotificationPolicy on its own, applied to the example of
 * examples/notifications/webhook.yaml: one mistake, one problem, named by its field.
 */
class NotificationPolicyValidatorTest {

  private static final String WEBHOOK = "spec.destinations[0].webhook";

  static NotificationPolicySpec example() {
    return example("examples/notifications/webhook.yaml");
  }

  static NotificationPolicySpec example(String file) {
    try {
      String yaml = Files.readString(Path.of(file));
      return Serialization.unmarshal(yaml.split("\n---\n")[0], NotificationPolicy.class).getSpec();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theExampleIsValid() {
    assertThat(NotificationPolicyValidator.check(example())).isEmpty();
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        mistake("no spec at all", s -> {}, "spec", "is required"),
        mistake("no trigger", s -> s.triggers = List.of(), "spec.triggers", "at least one trigger"),
        mistake(
            "no destination",
            s -> s.destinations = List.of(),
            "spec.destinations",
            "at least one destination"),
        mistake(
            "a name with capitals",
            s -> s.destinations.get(0).name = "Release-Feed",
            "spec.destinations[0].name",
            "'Release-Feed' must be lowercase letters, digits and '-', at most 63"),
        mistake(
            "two destinations of one name",
            s -> s.destinations = List.of(s.destinations.get(0), s.destinations.get(0)),
            "spec.destinations[1].name",
            "'release-feed' is defined twice"),
        mistake(
            "no kind",
            s -> s.destinations.get(0).webhook = null,
            "spec.destinations[0]",
            "exactly one kind of destination (webhook, slack, teams, googleChat, pagerDuty,"
                + " commitStatus)"),
        mistake(
            "a URL without scheme",
            s -> s.destinations.get(0).webhook.url = "releases.example.internal/hooks",
            WEBHOOK + ".url",
            "'releases.example.internal/hooks' is not an http(s) URL with a host"),
        mistake(
            "a URL with a password",
            s -> s.destinations.get(0).webhook.url = "https://user:pw@releases.example/hooks",
            WEBHOOK + ".url",
            "must not carry user info; send credentials in a header"),
        mistake(
            "an unknown placeholder",
            s -> s.destinations.get(0).webhook.body = "{\"token\": \"{{secrets.token}}\"}",
            WEBHOOK + ".body",
            "uses {{secrets.token}}, which is none of "
                + NoticeTemplate.NAMES.keySet().stream().sorted().toList()),
        mistake(
            "a body that is no JSON",
            s -> s.destinations.get(0).webhook.body = "{\"what\": {{event.trigger}}}",
            WEBHOOK + ".body",
            "is not JSON once its placeholders are filled in: Unrecognized token 'Aborted': was"
                + " expecting (JSON String, Number, Array, Object or token 'null', 'true' or"
                + " 'false') (line 1, column 17)"),
        mistake(
            "a header with both a value and a Secret",
            s -> {
              var h = new NotificationHeader("Authorization", "Bearer x");
              h.valueFrom = new SecretValueSource(new SecretKeySelector("token", "hook", false));
              s.destinations.get(0).webhook.headers = List.of(h);
            },
            WEBHOOK + ".headers[0]",
            "exactly one of value and valueFrom"),
        mistake(
            "a header split over lines",
            s ->
                s.destinations.get(0).webhook.headers =
                    List.of(new NotificationHeader("X-Team", "payments\r\nX-Evil: 1")),
            WEBHOOK + ".headers[0].value",
            "must be one line"),
        mistake(
            "a header name with a space",
            s ->
                s.destinations.get(0).webhook.headers =
                    List.of(new NotificationHeader("X Team", "payments")),
            WEBHOOK + ".headers[0].name",
            "'X Team' is no header name"),
        mistake(
            "a signature without a key",
            s -> s.destinations.get(0).webhook.signature.secretKeyRef.setKey(null),
            WEBHOOK + ".signature.secretKeyRef.key",
            "is required"),
        mistake(
            "a selector with an unknown operator",
            s -> {
              var e = new LabelSelectorRequirement("team", "Is", List.of("payments"));
              s.selector.setMatchExpressions(List.of(e));
            },
            "spec.selector.matchExpressions[0].operator",
            "'Is' is none of In, NotIn, Exists, DoesNotExist"));
  }

  private static Arguments mistake(
      String what, Consumer<NotificationPolicySpec> change, String field, String message) {
    return Arguments.of(what, change, field, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void oneMistakeOneProblemNamedByItsField(
      String what, Consumer<NotificationPolicySpec> change, String field, String message) {
    NotificationPolicySpec spec = what.equals("no spec at all") ? null : example();
    if (spec != null) {
      change.accept(spec);
    }
    assertThat(NotificationPolicyValidator.check(spec))
        .containsExactly(new SpecProblem(field, message));
  }

  @Test
  void theOnCallExampleIsValid() {
    assertThat(NotificationPolicyValidator.check(example(ON_CALL))).isEmpty();
  }

  private static final String ON_CALL = "examples/notifications/on-call.yaml";

  static Stream<Arguments> destinationMistakes() {
    return Stream.of(
        mistake(
            "two kinds in one destination",
            s -> s.destinations.get(0).teams = s.destinations.get(1).teams,
            "spec.destinations[0]",
            "exactly one kind of destination (webhook, slack, teams, googleChat, pagerDuty,"
                + " commitStatus)"),
        mistake(
            "a Slack bot token without a channel",
            s -> s.destinations.get(0).slack.channel = null,
            "spec.destinations[0].slack.channel",
            "is required with tokenFrom"),
        mistake(
            "a Slack webhook and a token",
            s -> s.destinations.get(0).slack.url = "https://hooks.slack.com/services/T/B/x",
            "spec.destinations[0].slack",
            "exactly one of url, urlFrom (an incoming webhook) and tokenFrom (chat.postMessage)"),
        mistake(
            "a Teams webhook without a URL",
            s -> s.destinations.get(1).teams.urlFrom = null,
            "spec.destinations[1].teams",
            "exactly one of url and urlFrom"),
        mistake(
            "a Google Chat message as a Teams card",
            s -> s.destinations.get(2).googleChat.format = ChatFormat.MessageCard,
            "spec.destinations[2].googleChat.format",
            "MessageCard is none of [CardsV2, Text]"),
        mistake(
            "a PagerDuty severity PagerDuty does not know",
            s -> s.destinations.get(3).pagerDuty.severity = "sev1",
            "spec.destinations[3].pagerDuty.severity",
            "'sev1' is none of [critical, error, info, warning]"),
        mistake(
            "a PagerDuty destination without a routing key",
            s -> s.destinations.get(3).pagerDuty.routingKeyFrom = null,
            "spec.destinations[3].pagerDuty.routingKeyFrom",
            "is required"),
        mistake(
            "a GitHub repository without its owner",
            s -> s.destinations.get(4).commitStatus.repository = "checkout-config",
            "spec.destinations[4].commitStatus.repository",
            "'checkout-config' is not OWNER/REPO"),
        mistake(
            "a GitHub repository climbing out of the path",
            s -> s.destinations.get(4).commitStatus.repository = "../admin",
            "spec.destinations[4].commitStatus.repository",
            "'../admin' is not OWNER/REPO"),
        mistake(
            "a commit status without its provider",
            s -> s.destinations.get(4).commitStatus.provider = null,
            "spec.destinations[4].commitStatus.provider",
            "is required (GitHub or GitLab)"),
        mistake(
            "a dashboard link with an unknown placeholder",
            s -> s.dashboardUrl = "https://grafana.example/d/x?run={{analysis.run}}",
            "spec.dashboardUrl",
            "uses {{analysis.run}}, which is none of "
                + NoticeTemplate.NAMES.keySet().stream().sorted().toList()),
        mistake(
            "a dashboard link that is no URL",
            s -> s.dashboardUrl = "grafana/d/x",
            "spec.dashboardUrl",
            "'grafana/d/x' is not an http(s) URL with a host"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("destinationMistakes")
  void oneMistakeOfADestinationOneProblem(
      String what, Consumer<NotificationPolicySpec> change, String field, String message) {
    var spec = example(ON_CALL);
    change.accept(spec);
    assertThat(NotificationPolicyValidator.check(spec))
        .containsExactly(new SpecProblem(field, message));
  }

  @Test
  void placeholdersAreFilledInEscapedForJsonAndNothingElseIsEvaluated() {
    var values = new java.util.HashMap<>(NoticeTemplate.NAMES);
    values.put("event.message", "weight \"10\"\n<b>ok</b> \\ done");
    String rendered =
        NoticeTemplate.render(
            "{\"m\": \"{{ event.message }}\", \"x\": \"{{rollout.name}}{{rollout.name}}\"}",
            values,
            NoticeTemplate::jsonString);
    assertThat(rendered)
        .isEqualTo(
            "{\"m\": \"weight \\\"10\\\"\\n\\u003cb\\u003eok\\u003c/b\\u003e \\\\ done\","
                + " \"x\": \"checkoutcheckout\"}");
    assertThat(NoticeTemplate.render("$1 {{step}} \\0", values, v -> v)).isEqualTo("$1 2 \\0");
    assertThat(new ArrayList<>(NoticeTemplate.placeholders("{{a.b}} {{ c }} {{a.b}}")))
        .containsExactly("a.b", "c");
  }
}
