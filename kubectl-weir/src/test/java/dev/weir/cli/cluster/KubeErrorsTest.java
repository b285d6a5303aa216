package dev.weir.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;

/** Failures in kubectl's words. */
class KubeErrorsTest {

  @Test
  void theServersVerdictWithItsReason() {
    var forbidden =
        new KubernetesClientException(
            "forbidden",
            403,
            new StatusBuilder()
                .withReason("Forbidden")
                .withMessage(
                    "rollouts.weir.dev \"checkout\" is forbidden: User \"bob\" cannot patch"
                        + " resource \"rollouts/status\" in API group \"weir.dev\" in the namespace"
                        + " \"shop\"")
                .build());

    assertThat(KubeErrors.describe(forbidden, "127.0.0.1:6443"))
        .isEqualTo(
            "Error from server (Forbidden): rollouts.weir.dev \"checkout\" is forbidden: User"
                + " \"bob\" cannot patch resource \"rollouts/status\" in API group \"weir.dev\" in"
                + " the namespace \"shop\"");
    assertThat(KubeErrors.describe(new KubernetesClientException("x", 401, null), "h:1"))
        .isEqualTo("error: You must be logged in to the server (Unauthorized)");
    assertThat(KubeErrors.describe(new KubernetesClientException("x", 503, null), "h:1"))
        .isEqualTo(
            "Error from server (ServiceUnavailable): the server responded with the status code"
                + " 503");
  }

  @Test
  void noAnswerSaysWhichServerAndWhy() {
    var refused =
        new KubernetesClientException("GET failed", new IOException(new ConnectException()));
    var unknownHost =
        new KubernetesClientException(
            "GET failed", new ConnectException().initCause(new UnresolvedAddressException()));

    assertThat(KubeErrors.describe(refused, "127.0.0.1:6443"))
        .isEqualTo(
            "The connection to the server 127.0.0.1:6443 was refused - did you specify the right"
                + " host or port?");
    assertThat(KubeErrors.describe(unknownHost, "kube.example:443"))
        .isEqualTo("Unable to connect to the server: dial tcp: lookup kube.example: no such host");
  }

  @Test
  void timeoutsOfTheBlockingReadsSayWhichWait() {
    var connecting =
        new KubernetesClientException(
            "GET failed", new SocketTimeoutException("connect timed out"));
    var reading =
        new KubernetesClientException("GET failed", new SocketTimeoutException("Read timed out"));

    assertThat(KubeErrors.describe(connecting, "10.0.0.1:6443"))
        .isEqualTo("Unable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout");
    assertThat(KubeErrors.describe(reading, "10.0.0.1:6443"))
        .isEqualTo(
            "Unable to connect to the server: net/http: request canceled (Client.Timeout"
                + " exceeded while awaiting headers)");
  }

  @Test
  void aMissingResourceTypeIsToldFromAMissingObject() {
    var missingObject =
        new KubernetesClientException(
            "not found",
            404,
            new StatusBuilder().withNewDetails().withName("nope").endDetails().build());
    var missingType = new KubernetesClientException("404 page not found", 404, null);

    assertThat(KubeErrors.unknownResourceType(missingObject)).isFalse();
    assertThat(KubeErrors.unknownResourceType(missingType)).isTrue();
  }
}
