package dev.weir.analysis;

import dev.weir.analysis.provider.MetricProvider;
import dev.weir.analysis.provider.QueryResult;
import dev.weir.analysis.provider.prometheus.PrometheusQuery;
import dev.weir.api.v1alpha1.Durations;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.MetricComparison;
import dev.weir.api.v1alpha1.PrometheusMetric;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Turns a metric's Prometheus settings into the queries of one measurement: args substituted,
 * credentials read from their Secrets, the controller's default address when the metric names none.
 * Right before a request it checks once more that nothing from a Secret goes to an address the
 * operator did not allow (the address may use an arg only known now): such a query is not sent, and
 * the measurement is an Error saying why. Only allowed addresses see the controller's TLS client
 * certificate.
 */
public final class PrometheusMeasurements {

  /** One point per 10 s on each side: 12 points in a 2 minute window. */
  private static final Duration DEFAULT_STEP = Duration.ofSeconds(10);

  private final MetricProvider<PrometheusQuery> provider;
  private final Optional<String> defaultAddress;
  private final Duration defaultTimeout;
  private final SecretPolicy policy;

  public PrometheusMeasurements(
      MetricProvider<PrometheusQuery> provider, PrometheusSettings settings) {
    this.provider = provider;
    this.defaultAddress = settings.defaultAddress();
    this.defaultTimeout = settings.timeout();
    this.policy = settings.policy();
  }

  /** Where values from Secrets may go. */
  public SecretPolicy policy() {
    return policy;
  }

  /**
   * Runs the metric's query, or with {@code guard} its minSamples query, waiting for the answer as
   * long as the metric's timeout says or {@code atMost}, whichever is sooner.
   */
  public QueryResult measure(
      Metric metric,
      boolean guard,
      ArgumentValues args,
      ArgumentValues.SecretReader secrets,
      Optional<Duration> atMost) {
    return measure(metric, guard, Optional.empty(), args, secrets, atMost);
  }

  /**
   * As {@link #measure(Metric, boolean, ArgumentValues, ArgumentValues.SecretReader, Optional)},
   * for one side of a metric judged by comparison: {@code {{side}}} in the query is replaced by
   * {@code side} (canary or baseline), and the metric's query runs as a range query over the
   * comparison's window.
   */
  public QueryResult measure(
      Metric metric,
      boolean guard,
      Optional<String> side,
      ArgumentValues args,
      ArgumentValues.SecretReader secrets,
      Optional<Duration> atMost) {
    PrometheusMetric spec = metric.provider.prometheus;
    String address =
        Optional.ofNullable(spec.address)
            .or(() -> defaultAddress)
            .map(args::substitute)
            .orElseThrow(
                () ->
                    new ArgumentValues.MissingValue(
                        "no Prometheus address: set provider.prometheus.address or the"
                            + " controller's weir.prometheus.address"));
    var sent = SecretPolicy.secretUses(metric, args.secretArgs());
    boolean allowed = policy.allowed().allows(address);
    if (!sent.isEmpty() && !allowed) {
      // Checked when the run was made too; an address filled in from a Secret or a field is only
      // known here.
      return QueryResult.error("not sent: " + policy.refusal(address, sent), Duration.ZERO);
    }
    String promql = args.substitute(guard ? metric.minSamples.query : spec.query);
    if (side.isPresent()) {
      promql = promql.replace(MetricComparison.SIDE_PLACEHOLDER, side.get());
    }
    Duration own = spec.timeout == null ? defaultTimeout : Durations.parse(spec.timeout);
    Duration timeout = atMost.filter(limit -> limit.compareTo(own) < 0).orElse(own);
    var headers = new LinkedHashMap<String, String>();
    if (spec.headers != null) {
      spec.headers.forEach(h -> headers.put(h.name, args.substitute(h.value)));
    }
    var query =
        PrometheusQuery.instant(URI.create(address.strip()), promql, timeout)
            .withHeaders(headers)
            .withClientCertificate(allowed);
    var auth = spec.authentication;
    if (auth != null && auth.bearerToken != null) {
      String token = secrets.read(auth.bearerToken.getName(), auth.bearerToken.getKey());
      args.secret(token);
      query = query.withBearerToken(token);
    }
    if (auth != null && auth.basicAuthSecret != null) {
      String secret = auth.basicAuthSecret.getName();
      String password = secrets.read(secret, "password");
      args.secret(password);
      query = query.withBasicAuth(secrets.read(secret, "username"), password);
    }
    if (Boolean.TRUE.equals(spec.insecure)) {
      query = query.withInsecure(true);
    }
    if (side.isPresent() && !guard) {
      var compare = metric.compare;
      query =
          query.withRange(
              Durations.parse(compare.window),
              compare.step == null ? DEFAULT_STEP : Durations.parse(compare.step));
    } else if (spec.rangeQuery != null) {
      query =
          query.withRange(
              Durations.parse(spec.rangeQuery.lookback), Durations.parse(spec.rangeQuery.step));
    }
    return provider.query(query);
  }
}
