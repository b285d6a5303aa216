package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;

/** A PromQL query and how to reach the Prometheus that answers it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusMetric {

  @JsonPropertyDescription(
      "Base URL of the Prometheus API, e.g. http://prometheus.monitoring:9090. Defaults to the"
          + " controller's weir.prometheus.address setting (the chart's prometheus.address)."
          + " Credentials and values from Secrets are sent only to the default address and those"
          + " of weir.prometheus.allowed-addresses: a metric elsewhere that would send any is an"
          + " InvalidSpec.")
  public String address;

  @JsonPropertyDescription(
      "PromQL; {{args.NAME}} is replaced by the argument's value. A vector gives one value per"
          + " series, a scalar one value, a range query every sample of every series.")
  @Required
  public String query;

  @JsonPropertyDescription("How long to wait for an answer (seconds, or 10s). Defaults to 30s.")
  public IntOrString timeout;

  @JsonPropertyDescription("Extra HTTP headers; values may use {{args.NAME}}.")
  public List<HttpHeader> headers;

  @JsonPropertyDescription(
      "Credentials, read from Secrets of the run's namespace that opted in to analysis (label"
          + " weir.dev/analysis-secret=true), sent only to allowed addresses.")
  public PrometheusAuthentication authentication;

  @JsonPropertyDescription(
      "Accept any TLS certificate and host name, and present no client certificate. Only for"
          + " test setups (kubectl weir lint warns of it): trust the server's CA with the"
          + " controller's weir.prometheus.tls.ca-file instead. Defaults to false.")
  public Boolean insecure;

  @JsonPropertyDescription(
      "Run a range query over the last `lookback` at `step` resolution instead of an instant"
          + " query: result holds every sample, oldest first.")
  public RangeQuery rangeQuery;
}
