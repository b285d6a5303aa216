package dev.weir.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.analysis.OptedInSecrets;
import dev.weir.testing.RealControlPlane;
import dev.weir.testing.RealTier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * Where Secrets may come from and go to, on the real control plane, with Weir under the chart's
 * ClusterRole (which may list and watch Secrets): the API server's audit log shows every request
 * Weir made for Secrets, so the story can tell that it asked only for those that opted in.
 */
class SecretRealTierTest extends SecretScenarios {

  private static final ObjectMapper JSON = new ObjectMapper();

  SecretRealTierTest() {
    super(new RealTier());
  }

  @Override
  void assertWeirNeverAskedFor(String secret) {
    var requests = weirsSecretRequests();
    assertThat(requests).as("Weir's requests for Secrets, in the audit log").isNotEmpty();
    assertThat(requests)
        .allSatisfy(
            event -> {
              assertThat(event.path("verb").asText()).isIn("list", "watch");
              assertThat(
                      URLDecoder.decode(event.path("requestURI").asText(), StandardCharsets.UTF_8))
                  .as("asks only for Secrets that opted in")
                  .contains("labelSelector=" + OptedInSecrets.SELECTOR);
            })
        .noneSatisfy(
            event -> assertThat(event.path("objectRef").path("name").asText()).isEqualTo(secret));
  }

  /** The audit events of Weir's identity about Secrets, as the API server logged them. */
  private List<JsonNode> weirsSecretRequests() {
    var cluster = ((RealTier) tier).cluster();
    try (var lines = Files.lines(cluster.auditLog())) {
      return lines
          .map(SecretRealTierTest::json)
          .filter(e -> e.path("stage").asText().equals("ResponseComplete"))
          .filter(
              e -> e.path("user").path("username").asText().equals(RealControlPlane.OPERATOR_USER))
          .filter(e -> e.path("objectRef").path("resource").asText().equals("secrets"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
