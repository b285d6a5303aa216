package dev.weir.api.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weir.api.v1alpha1.ChatFormat;
import dev.weir.api.v1alpha1.ChatWebhookDestination;
import dev.weir.api.v1alpha1.CommitStatusDestination;
import dev.weir.api.v1alpha1.NotificationDestination;
import dev.weir.api.v1alpha1.NotificationHeader;
import dev.weir.api.v1alpha1.NotificationPolicySpec;
import dev.weir.api.v1alpha1.PagerDutyDestination;
import dev.weir.api.v1alpha1.SlackDestination;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.v1alpha1.WebhookDestination;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What makes a NotificationPolicy valid, on its own: shared by the admission webhook, {@code
 * kubectl weir lint} and the controller, which sends nothing for a policy with a problem. Whether
 * its Secrets opted in and its URLs are allowed is the controller's to judge: only it knows the
 * cluster and the operator's settings. Fields are those of the policy's YAML.
 */
public final class NotificationPolicyValidator {

  private static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

  /** An HTTP header name (RFC 9110 token). */
  private static final Pattern HEADER = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");

  private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

  private static final Pattern GITHUB_REPO = Pattern.compile("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$");

  private static final Pattern GITLAB_PROJECT =
      Pattern.compile("^([0-9]+|[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+)$");

  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private NotificationPolicyValidator() {}

  public static List<SpecProblem> check(NotificationPolicySpec spec) {
    var problems = new ArrayList<SpecProblem>();
    if (spec == null) {
      problems.add(new SpecProblem("spec", "is required"));
      return problems;
    }
    selector(spec.selector, problems);
    if (spec.triggers == null || spec.triggers.isEmpty()) {
      problems.add(new SpecProblem("spec.triggers", "at least one trigger"));
    } else if (spec.triggers.contains(null)) {
      problems.add(new SpecProblem("spec.triggers", "a trigger is empty"));
    }
    if (spec.destinations == null || spec.destinations.isEmpty()) {
      problems.add(new SpecProblem("spec.destinations", "at least one destination"));
      return problems;
    }
    var names = new HashSet<String>();
    for (int i = 0; i < spec.destinations.size(); i++) {
      destination("spec.destinations[" + i + "]", spec.destinations.get(i), names, problems);
    }
    if (spec.dashboardUrl != null
        && placeholders("spec.dashboardUrl", spec.dashboardUrl, problems)) {
      url(
          "spec.dashboardUrl",
          NoticeTemplate.render(spec.dashboardUrl, NoticeTemplate.NAMES, v -> v),
          problems);
    }
    return problems;
  }

  private static void selector(LabelSelector selector, List<SpecProblem> problems) {
    if (selector == null || selector.getMatchExpressions() == null) {
      return;
    }
    var expressions = selector.getMatchExpressions();
    for (int i = 0; i < expressions.size(); i++) {
      var e = expressions.get(i);
      String field = "spec.selector.matchExpressions[" + i + "]";
      if (e.getKey() == null || e.getKey().isBlank()) {
        problems.add(new SpecProblem(field + ".key", "is required"));
      }
      if (!OPERATORS.contains(e.getOperator())) {
        problems.add(
            new SpecProblem(
                field + ".operator",
                "'" + e.getOperator() + "' is none of In, NotIn, Exists, DoesNotExist"));
      } else {
        boolean values = e.getValues() != null && !e.getValues().isEmpty();
        boolean wantsValues = e.getOperator().equals("In") || e.getOperator().equals("NotIn");
        if (values != wantsValues) {
          problems.add(
              new SpecProblem(
                  field + ".values",
                  wantsValues
                      ? "at least one value for " + e.getOperator()
                      : "no values for " + e.getOperator()));
        }
      }
    }
  }

  private static void destination(
      String field, NotificationDestination d, Set<String> names, List<SpecProblem> problems) {
    if (d == null) {
      problems.add(new SpecProblem(field, "is empty"));
      return;
    }
    if (d.name == null || !NAME.matcher(d.name).matches()) {
      problems.add(
          new SpecProblem(
              field + ".name",
              d.name == null
                  ? "is required"
                  : "'" + d.name + "' must be lowercase letters, digits and '-', at most 63"));
    } else if (!names.add(d.name)) {
      problems.add(new SpecProblem(field + ".name", "'" + d.name + "' is defined twice"));
    }
    int kinds =
        Stream.of(d.webhook, d.slack, d.teams, d.googleChat, d.pagerDuty, d.commitStatus)
            .filter(Objects::nonNull)
            .mapToInt(k -> 1)
            .sum();
    if (kinds != 1) {
      problems.add(
          new SpecProblem(
              field,
              "exactly one kind of destination (webhook, slack, teams, googleChat, pagerDuty,"
                  + " commitStatus)"));
      return;
    }
    if (d.webhook != null) {
      webhook(field + ".webhook", d.webhook, problems);
    } else if (d.slack != null) {
      slack(field + ".slack", d.slack, problems);
    } else if (d.teams != null) {
      chat(
          field + ".teams",
          d.teams,
          Set.of(ChatFormat.AdaptiveCard, ChatFormat.MessageCard),
          problems);
    } else if (d.googleChat != null) {
      chat(
          field + ".googleChat",
          d.googleChat,
          Set.of(ChatFormat.Text, ChatFormat.CardsV2),
          problems);
    } else if (d.pagerDuty != null) {
      pagerDuty(field + ".pagerDuty", d.pagerDuty, problems);
    } else {
      commitStatus(field + ".commitStatus", d.commitStatus, problems);
    }
  }

  private static void slack(String field, SlackDestination s, List<SpecProblem> problems) {
    int ways =
        Stream.of(s.url, s.urlFrom, s.tokenFrom).filter(Objects::nonNull).mapToInt(w -> 1).sum();
    if (ways != 1) {
      problems.add(
          new SpecProblem(
              field,
              "exactly one of url, urlFrom (an incoming webhook) and tokenFrom (chat.postMessage)"));
      return;
    }
    if (s.url != null) {
      url(field + ".url", s.url, problems);
    } else if (s.urlFrom != null) {
      secretKey(field + ".urlFrom.secretKeyRef", s.urlFrom.secretKeyRef, problems);
    } else {
      secretKey(field + ".tokenFrom.secretKeyRef", s.tokenFrom.secretKeyRef, problems);
      if (s.channel == null || s.channel.isBlank()) {
        problems.add(new SpecProblem(field + ".channel", "is required with tokenFrom"));
      }
      url(field + ".apiUrl", s.api(), problems);
    }
    if (s.tokenFrom == null && s.channel != null) {
      problems.add(
          new SpecProblem(
              field + ".channel", "only with tokenFrom: an incoming webhook posts to its own"));
    }
  }

  private static void chat(
      String field, ChatWebhookDestination c, Set<ChatFormat> formats, List<SpecProblem> problems) {
    if ((c.url == null) == (c.urlFrom == null)) {
      problems.add(new SpecProblem(field, "exactly one of url and urlFrom"));
    } else if (c.url != null) {
      url(field + ".url", c.url, problems);
    } else {
      secretKey(field + ".urlFrom.secretKeyRef", c.urlFrom.secretKeyRef, problems);
    }
    if (c.format != null && !formats.contains(c.format)) {
      problems.add(
          new SpecProblem(
              field + ".format",
              c.format + " is none of " + formats.stream().map(Enum::name).sorted().toList()));
    }
  }

  private static void pagerDuty(String field, PagerDutyDestination p, List<SpecProblem> problems) {
    if (p.routingKeyFrom == null) {
      problems.add(new SpecProblem(field + ".routingKeyFrom", "is required"));
    } else {
      secretKey(field + ".routingKeyFrom.secretKeyRef", p.routingKeyFrom.secretKeyRef, problems);
    }
    url(field + ".url", p.enqueueUrl(), problems);
    if (!SEVERITIES.contains(p.severityOrDefault())) {
      problems.add(
          new SpecProblem(
              field + ".severity",
              "'" + p.severity + "' is none of " + SEVERITIES.stream().sorted().toList()));
    }
  }

  private static void commitStatus(
      String field, CommitStatusDestination c, List<SpecProblem> problems) {
    if (c.provider == null) {
      problems.add(new SpecProblem(field + ".provider", "is required (GitHub or GitLab)"));
      return;
    }
    url(field + ".apiUrl", c.api(), problems);
    var repository =
        c.provider == CommitStatusDestination.Provider.GitHub ? GITHUB_REPO : GITLAB_PROJECT;
    if (c.repository == null
        || !repository.matcher(c.repository).matches()
        || Stream.of(c.repository.split("/")).anyMatch(s -> s.equals(".") || s.equals(".."))) {
      problems.add(
          new SpecProblem(
              field + ".repository",
              c.repository == null
                  ? "is required"
                  : "'"
                      + c.repository
                      + "' is not "
                      + (c.provider == CommitStatusDestination.Provider.GitHub
                          ? "OWNER/REPO"
                          : "a project's path (group/project) or numeric id")));
    }
    if (c.tokenFrom == null) {
      problems.add(new SpecProblem(field + ".tokenFrom", "is required"));
    } else {
      secretKey(field + ".tokenFrom.secretKeyRef", c.tokenFrom.secretKeyRef, problems);
    }
    if (c.context != null && (c.context.isBlank() || c.context.length() > 255)) {
      problems.add(new SpecProblem(field + ".context", "must be 1 to 255 characters"));
    }
  }

  private static void webhook(String field, WebhookDestination w, List<SpecProblem> problems) {
    url(field + ".url", w.url, problems);
    headers(field + ".headers", w.headers, problems);
    if (w.body != null) {
      jsonTemplate(field + ".body", w.body, problems);
    }
    if (w.signature != null) {
      secretKey(field + ".signature.secretKeyRef", w.signature.secretKeyRef, problems);
      if (w.signature.header != null && !HEADER.matcher(w.signature.header).matches()) {
        problems.add(
            new SpecProblem(
                field + ".signature.header", "'" + w.signature.header + "' is no header name"));
      }
    }
  }

  /** The URL of a destination: an absolute http(s) URL with a host, without user info. */
  public static void url(String field, String url, List<SpecProblem> problems) {
    if (url == null || url.isBlank()) {
      problems.add(new SpecProblem(field, "is required"));
      return;
    }
    try {
      var uri = new URI(url.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        problems.add(new SpecProblem(field, "'" + url + "' is not an http(s) URL with a host"));
      } else if (uri.getRawUserInfo() != null) {
        problems.add(
            new SpecProblem(field, "must not carry user info; send credentials in a header"));
      }
    } catch (URISyntaxException e) {
      problems.add(new SpecProblem(field, "'" + url + "' is not a URL: " + e.getReason()));
    }
  }

  private static void headers(
      String field, List<NotificationHeader> headers, List<SpecProblem> problems) {
    if (headers == null) {
      return;
    }
    for (int i = 0; i < headers.size(); i++) {
      var h = headers.get(i);
      String at = field + "[" + i + "]";
      if (h == null) {
        problems.add(new SpecProblem(at, "is empty"));
        continue;
      }
      if (h.name == null || !HEADER.matcher(h.name).matches()) {
        problems.add(new SpecProblem(at + ".name", "'" + h.name + "' is no header name"));
      }
      boolean fromSecret = h.valueFrom != null;
      if ((h.value != null) == fromSecret) {
        problems.add(new SpecProblem(at, "exactly one of value and valueFrom"));
      }
      if (h.value != null) {
        if (h.value.indexOf('\r') >= 0 || h.value.indexOf('\n') >= 0) {
          problems.add(new SpecProblem(at + ".value", "must be one line"));
        }
        placeholders(at + ".value", h.value, problems);
      }
      if (fromSecret) {
        secretKey(at + ".valueFrom.secretKeyRef", h.valueFrom.secretKeyRef, problems);
      }
    }
  }

  /** A template whose result must be JSON: its placeholders known, its rendered example parsed. */
  public static void jsonTemplate(String field, String template, List<SpecProblem> problems) {
    if (!placeholders(field, template, problems)) {
      return;
    }
    String example =
        NoticeTemplate.render(template, NoticeTemplate.NAMES, NoticeTemplate::jsonString);
    try {
      Serialization.jsonMapper().readTree(example);
    } catch (JsonProcessingException e) {
      problems.add(
          new SpecProblem(
              field,
              "is not JSON once its placeholders are filled in: "
                  + e.getOriginalMessage()
                  + " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")"));
    }
  }

  private static boolean placeholders(String field, String text, List<SpecProblem> problems) {
    var unknown = NoticeTemplate.unknown(text);
    for (String name : unknown) {
      problems.add(
          new SpecProblem(
              field,
              "uses {{"
                  + name
                  + "}}, which is none of "
                  + NoticeTemplate.NAMES.keySet().stream().sorted().toList()));
    }
    return unknown.isEmpty();
  }

  private static void secretKey(String field, SecretKeySelector ref, List<SpecProblem> problems) {
    if (ref == null) {
      problems.add(new SpecProblem(field, "is required"));
      return;
    }
    if (ref.getName() == null || ref.getName().isBlank()) {
      problems.add(new SpecProblem(field + ".name", "is required"));
    }
    if (ref.getKey() == null || ref.getKey().isBlank()) {
      problems.add(new SpecProblem(field + ".key", "is required"));
    }
  }
}
