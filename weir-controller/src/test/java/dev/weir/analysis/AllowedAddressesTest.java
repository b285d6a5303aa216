package dev.weir.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator's allowed Prometheus addresses as URL prefixes: the same scheme, host and port (the
 * scheme's default port when none is written), and a path at or under the prefix's, segment by
 * segment; nothing that merely starts with the same characters.
 */
class AllowedAddressesTest {

  private static final AllowedAddresses ALLOWED =
      AllowedAddresses.of(
          List.of(
              "http://prometheus.monitoring:9090",
              "https://gateway.example/prometheus/",
              "http://thanos"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          http://prometheus.monitoring:9090                       | true
          http://prometheus.monitoring:9090/                      | true
          http://prometheus.monitoring:9090/tenant-a              | true
          HTTP://Prometheus.Monitoring:9090                       | true
          http://prometheus.monitoring:9090.evil.example          | false
          http://prometheus.monitoring:90901                      | false
          http://prometheus.monitoring:909                        | false
          http://prometheus.monitoring                            | false
          https://prometheus.monitoring:9090                      | false
          http://prometheus.monitoring.evil.example:9090          | false
          http://evil.example/http://prometheus.monitoring:9090   | false
          http://prometheus.monitoring:9090@evil.example          | false
          http://prometheus.monitoring:9090@evil.example:9090     | false
          http://user:pw@prometheus.monitoring:9090               | true
          https://gateway.example/prometheus                      | true
          https://gateway.example:443/prometheus/api              | true
          https://gateway.example/prometheus-evil                 | false
          https://gateway.example/prometheusx/api                 | false
          https://gateway.example/                                | false
          https://gateway.example/other/prometheus                | false
          https://gateway.example/prometheus/../admin             | false
          https://gateway.example/prometheus/%2e%2e/admin         | false
          https://gateway.example/prometheus%2F..%2Fadmin         | false
          https://gateway.example/prometheus/./api                | false
          http://gateway.example/prometheus                       | false
          http://thanos                                           | true
          http://thanos:80/api                                    | true
          http://thanos:8080                                      | false
          ftp://thanos                                            | false
          thanos:80                                               | false
          not a url                                               | false
          ''                                                      | false
          """)
  void allowsOnlyTheSameOriginAtOrUnderThePrefixPath(String address, boolean allowed) {
    assertThat(ALLOWED.allows(address)).isEqualTo(allowed);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "prometheus:9090",
        "/prometheus",
        "ftp://prometheus",
        "http://user:pw@prometheus:9090",
        "http://prometheus:9090/?tenant=a",
        "http://prometheus:9090/a/../b"
      })
  void aPrefixTheControllerCannotHonourStopsItFromStarting(String prefix) {
    assertThatThrownBy(() -> AllowedAddresses.of(List.of(prefix)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(prefix);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"http://prometheus:9090", "https://prometheus"})
  void nothingIsAllowedWhenTheListIsEmpty(String address) {
    assertThat(AllowedAddresses.of(List.of()).allows(address)).isFalse();
  }
}
