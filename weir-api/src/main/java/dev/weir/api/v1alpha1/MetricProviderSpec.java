package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The metrics backend of a metric: exactly one field is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricProviderSpec {

  @JsonPropertyDescription("Prometheus' HTTP API (or one that speaks it: Thanos, Mimir, ...).")
  public PrometheusMetric prometheus;
}
