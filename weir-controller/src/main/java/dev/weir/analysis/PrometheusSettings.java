package dev.weir.analysis;

import dev.weir.analysis.provider.prometheus.PrometheusTls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the operator decided about Prometheus, in the controller's configuration: the address of
 * metrics that name none, where values from Secrets may be sent, how long a query may take, and
 * TLS.
 *
 * @param defaultAddress the Prometheus of metrics that name no address
 * @param allowedAddresses URL prefixes that credentials and Secret-derived values may be sent to;
 *     the default address is always among them
 * @param timeout how long a query may take when its metric sets no timeout
 * @param tls the CA to trust and the client certificate to present
 */
public record PrometheusSettings(
    Optional<String> defaultAddress,
    List<String> allowedAddresses,
    Duration timeout,
    PrometheusTls tls) {

  public PrometheusSettings {
    allowedAddresses = List.copyOf(allowedAddresses);
  }

  /** Only the default address allowed, the system's CAs, no client certificate. */
  public static PrometheusSettings of(Optional<String> defaultAddress, Duration timeout) {
    return new PrometheusSettings(defaultAddress, List.of(), timeout, PrometheusTls.none());
  }

  /** The same settings, allowing these addresses too. */
  public PrometheusSettings allowing(List<String> more) {
    var all = new ArrayList<>(allowedAddresses);
    all.addAll(more);
    return new PrometheusSettings(defaultAddress, all, timeout, tls);
  }

  /** The same settings with this TLS. */
  public PrometheusSettings withTls(PrometheusTls tls) {
    return new PrometheusSettings(defaultAddress, allowedAddresses, timeout, tls);
  }

  /** The allowed addresses with the default one: the operator chose it. */
  public AllowedAddresses allowed() {
    var all = new ArrayList<String>();
    defaultAddress.ifPresent(all::add);
    all.addAll(allowedAddresses);
    return AllowedAddresses.of(all);
  }

  public SecretPolicy policy() {
    return new SecretPolicy(allowed(), defaultAddress);
  }
}
