package dev.weir.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.analysis.OptedInSecrets;
import dev.weir.testing.RealControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * What Weir's identity asked the real API server about Secrets, from its audit log: reads only by
 * an opt-in label (analysis or configSnapshots), writes only of configSnapshots' copies, never a
 * Secret by name.
 */
final class SecretAudit {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SecretAudit() {}

  /** Weir listed and watched Secrets only by an opt-in label, and never named {@code secret}. */
  static void assertWeirNeverAskedFor(RealControlPlane cluster, String secret) {
    var requests = weirsSecretRequests(cluster);
    assertThat(requests).as("Weir's requests for Secrets, in the audit log").isNotEmpty();
    assertThat(requests)
        .allSatisfy(
            event -> {
              String verb = event.path("verb").asText();
              assertThat(verb)
                  .as("reads by label; create and delete only for configSnapshots' copies")
                  .isIn("list", "watch", "create", "delete");
              if (verb.equals("list") || verb.equals("watch")) {
                assertThat(
                        URLDecoder.decode(
                            event.path("requestURI").asText(), StandardCharsets.UTF_8))
                    .as("asks only for Secrets that opted in")
                    .containsAnyOf(
                        "labelSelector=" + OptedInSecrets.SELECTOR,
                        "labelSelector=" + RolloutEventSources.SNAPSHOT_SECRETS_SELECTOR);
              }
            })
        .noneSatisfy(
            event -> assertThat(event.path("objectRef").path("name").asText()).isEqualTo(secret));
  }

  /** The audit events of Weir's identity about Secrets, as the API server logged them. */
  private static List<JsonNode> weirsSecretRequests(RealControlPlane cluster) {
    try (var lines = Files.lines(cluster.auditLog())) {
      return lines
          .map(SecretAudit::json)
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
