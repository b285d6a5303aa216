package dev.weir.analysis;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.validation.MetricSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Where Secrets may come from and go to (docs/security.md): an analysis reads only Secrets that
 * opted in ({@link OptedInSecrets}), and whatever it derives from them (a header or query using a
 * {@code secretKeyRef} arg, a bearer token, basic auth) goes only to the Prometheus addresses the
 * operator allowed ({@link AllowedAddresses}). A template's author decides neither: otherwise
 * anyone who may write a template could have Weir read a Secret of the namespace and send it
 * anywhere. Pure: the problems it finds are an InvalidSpec, found before any request leaves.
 */
public final class SecretPolicy {

  private static final ArgumentValues.SecretReader NO_SECRETS =
      (name, key) -> {
        throw new ArgumentValues.MissingValue("Secret " + name + " is not read here");
      };

  private final AllowedAddresses allowed;
  private final Optional<String> defaultAddress;

  /**
   * @param allowed where values from Secrets may be sent
   * @param defaultAddress the Prometheus of metrics that name none
   */
  public SecretPolicy(AllowedAddresses allowed, Optional<String> defaultAddress) {
    this.allowed = allowed;
    this.defaultAddress = defaultAddress;
  }

  public AllowedAddresses allowed() {
    return allowed;
  }

  /**
   * Checks the args and metrics of an analysis that runs in {@code namespace}: every Secret it
   * names must have opted in, and a metric that would send something from a Secret must ask an
   * allowed address. The address is judged with the plain args filled in; one that still uses an
   * arg (from a Secret, or read when the run is made) is judged again before each request.
   *
   * @param argsField the field of the args, e.g. {@code
   *     spec.strategy.canary.steps[2].analysis.args}
   * @param metricFields the field of each metric, in the order of {@code metrics}
   */
  public void check(
      String argsField,
      List<AnalysisArgument> args,
      List<Metric> metrics,
      List<String> metricFields,
      String namespace,
      OptedInSecrets secrets,
      List<SpecProblem> problems) {
    var secretArgs = new LinkedHashSet<String>();
    var plain = new ArrayList<AnalysisArgument>();
    for (var arg : args == null ? List.<AnalysisArgument>of() : args) {
      var ref = arg.valueFrom == null ? null : arg.valueFrom.secretKeyRef;
      if (ref != null) {
        secretArgs.add(arg.name);
        if (ref.getName() != null && secrets.find(namespace, ref.getName()).isEmpty()) {
          problems.add(
              new SpecProblem(
                  argsField, "arg '" + arg.name + "': " + notOptedIn(namespace, ref.getName())));
        }
      } else if (arg.value != null) {
        plain.add(arg);
      }
    }
    for (int i = 0; i < metrics.size(); i++) {
      var prometheus = metrics.get(i).provider == null ? null : metrics.get(i).provider.prometheus;
      if (prometheus == null) {
        continue;
      }
      String at = metricFields.get(i) + ".provider.prometheus";
      var auth = prometheus.authentication;
      if (auth != null && auth.bearerToken != null && auth.bearerToken.getName() != null) {
        optedIn(at + ".authentication.bearerToken", auth.bearerToken.getName(), namespace, secrets)
            .ifPresent(problems::add);
      }
      if (auth != null && auth.basicAuthSecret != null && auth.basicAuthSecret.getName() != null) {
        optedIn(
                at + ".authentication.basicAuthSecret",
                auth.basicAuthSecret.getName(),
                namespace,
                secrets)
            .ifPresent(problems::add);
      }
      var sent = secretUses(metrics.get(i), secretArgs);
      String address =
          prometheus.address != null ? prometheus.address : defaultAddress.orElse(null);
      if (sent.isEmpty() || address == null) {
        continue;
      }
      fill(address, plain)
          .filter(filled -> !allowed.allows(filled))
          .ifPresent(
              filled -> problems.add(new SpecProblem(at + ".address", refusal(filled, sent))));
    }
  }

  /**
   * What a metric's request would carry from Secrets, in words ({@code header 'X-Api-Key' (arg
   * 'token')}, {@code the bearer token (Secret prom-token)}); empty when nothing.
   *
   * @param secretArgs the names of the args read from Secrets
   */
  public static List<String> secretUses(Metric metric, Set<String> secretArgs) {
    var uses = new ArrayList<String>();
    var prometheus = metric.provider == null ? null : metric.provider.prometheus;
    if (prometheus == null) {
      return uses;
    }
    if (prometheus.headers != null) {
      for (var header : prometheus.headers) {
        using(header.value, secretArgs)
            .ifPresent(arg -> uses.add("header '" + header.name + "' (arg '" + arg + "')"));
      }
    }
    using(prometheus.query, secretArgs).ifPresent(arg -> uses.add("the query (arg '" + arg + "')"));
    if (metric.minSamples != null) {
      using(metric.minSamples.query, secretArgs)
          .ifPresent(arg -> uses.add("the minSamples query (arg '" + arg + "')"));
    }
    using(prometheus.address, secretArgs)
        .ifPresent(arg -> uses.add("the address (arg '" + arg + "')"));
    var auth = prometheus.authentication;
    if (auth != null && auth.bearerToken != null) {
      uses.add("the bearer token (Secret " + auth.bearerToken.getName() + ")");
    }
    if (auth != null && auth.basicAuthSecret != null) {
      uses.add("basic auth (Secret " + auth.basicAuthSecret.getName() + ")");
    }
    return uses;
  }

  /** Why a request to {@code address} carrying {@code sent} is refused. */
  public String refusal(String address, List<String> sent) {
    return shown(address)
        + " is not an allowed Prometheus address (weir.prometheus.allowed-addresses: "
        + allowed
        + "), and the metric would send it values from Secrets: "
        + String.join(", ", sent);
  }

  /** The Secrets that args and metrics name, by name (they are read in the run's namespace). */
  public static Set<String> secretsNamed(List<AnalysisArgument> args, List<Metric> metrics) {
    var names = new LinkedHashSet<String>();
    if (args != null) {
      args.stream()
          .filter(a -> a.valueFrom != null && a.valueFrom.secretKeyRef != null)
          .forEach(a -> names.add(a.valueFrom.secretKeyRef.getName()));
    }
    if (metrics != null) {
      for (var metric : metrics) {
        var prometheus = metric.provider == null ? null : metric.provider.prometheus;
        var auth = prometheus == null ? null : prometheus.authentication;
        if (auth != null && auth.bearerToken != null) {
          names.add(auth.bearerToken.getName());
        }
        if (auth != null && auth.basicAuthSecret != null) {
          names.add(auth.basicAuthSecret.getName());
        }
      }
    }
    names.remove(null);
    return names;
  }

  /** Why a Secret cannot be read: the same words whether it is missing or did not opt in. */
  static String notOptedIn(String namespace, String name) {
    // Telling the two apart would take reading a Secret that did not opt in.
    return "Secret "
        + namespace
        + "/"
        + name
        + " does not exist or has not opted in to analysis (label it "
        + WellKnownNames.ANALYSIS_SECRET_LABEL
        + "="
        + WellKnownNames.ANALYSIS_SECRET_OPT_IN
        + ")";
  }

  private static Optional<SpecProblem> optedIn(
      String field, String secret, String namespace, OptedInSecrets secrets) {
    return secrets.find(namespace, secret).isPresent()
        ? Optional.empty()
        : Optional.of(new SpecProblem(field, notOptedIn(namespace, secret)));
  }

  /** The first arg of {@code secretArgs} the text uses. */
  private static Optional<String> using(String text, Set<String> secretArgs) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = MetricSettings.PLACEHOLDER.matcher(text);
    while (m.find()) {
      if (secretArgs.contains(m.group(1))) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /** The text with the plain args filled in; empty while it uses any other. */
  private static Optional<String> fill(String text, List<AnalysisArgument> plain) {
    try {
      return Optional.of(ArgumentValues.of(plain, NO_SECRETS).substitute(text).strip());
    } catch (ArgumentValues.MissingValue e) {
      return Optional.empty();
    }
  }

  /** The address without user info, which may hold a password. */
  private static String shown(String address) {
    try {
      var uri = new URI(address);
      return uri.getRawUserInfo() == null
          ? address
          : address.replace(uri.getRawUserInfo() + "@", "");
    } catch (URISyntaxException e) {
      return address;
    }
  }
}
