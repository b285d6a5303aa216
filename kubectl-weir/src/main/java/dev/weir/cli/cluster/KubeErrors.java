package dev.weir.cli.cluster;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * Says what went wrong talking to the API server in kubectl's words, on one line: the server's own
 * verdict ({@code Error from server (Forbidden): rollouts.weir.dev "checkout" is forbidden: User
 * "bob" cannot patch resource "rollouts/status" in API group "weir.dev" in the namespace "shop"}),
 * or why there was no answer ({@code The connection to the server 127.0.0.1:6443 was refused - did
 * you specify the right host or port?}).
 */
public final class KubeErrors {

  private KubeErrors() {}

  /** The line for a failed request to the server at {@code hostPort}. */
  public static String describe(Throwable error, String hostPort) {
    if (error instanceof KubernetesClientException k && k.getCode() > 0) {
      return fromServer(k);
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof CertPathBuilderException) {
        // No path from the server's certificate to a CA this side trusts: Go's words for it.
        return "Unable to connect to the server: tls: failed to verify certificate: x509:"
            + " certificate signed by unknown authority";
      }
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ConnectException && !(t.getCause() instanceof UnresolvedAddressException)) {
        return "The connection to the server "
            + hostPort
            + " was refused - did you specify the right host or port?";
      }
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        return "Unable to connect to the server: dial tcp: lookup " + host + ": no such host";
      }
      if (t instanceof HttpConnectTimeoutException
          || (t instanceof SocketTimeoutException && "connect timed out".equals(t.getMessage()))) {
        return "Unable to connect to the server: dial tcp " + hostPort + ": i/o timeout";
      }
      if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
        return "Unable to connect to the server: net/http: request canceled (Client.Timeout"
            + " exceeded while awaiting headers)";
      }
      if (t instanceof CertificateException && t.getMessage() != null) {
        return "Unable to connect to the server: tls: failed to verify certificate: x509: "
            + firstLine(t.getMessage());
      }
      if (t instanceof SSLException) {
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
          if (c instanceof CertificateException) {
            return describe(c, hostPort);
          }
        }
        return "Unable to connect to the server: tls: " + firstLine(t.getMessage());
      }
    }
    return "error: " + firstLine(rootMessage(error));
  }

  /** kubectl's {@code Error from server (Reason): message}. */
  static String fromServer(KubernetesClientException e) {
    Status status = e.getStatus();
    String message = status == null ? null : status.getMessage();
    String reason = status == null ? null : status.getReason();
    if (e.getCode() == 401) {
      return "error: You must be logged in to the server (Unauthorized)";
    }
    if (reason == null || reason.isEmpty()) {
      reason = reasonOf(e.getCode());
    }
    if (message == null || message.isEmpty()) {
      message = "the server responded with the status code " + e.getCode();
    }
    return "Error from server (" + reason + "): " + firstLine(message);
  }

  private static String reasonOf(int code) {
    return switch (code) {
      case 400 -> "BadRequest";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 409 -> "Conflict";
      case 422 -> "Invalid";
      case 429 -> "TooManyRequests";
      case 500 -> "InternalError";
      case 503 -> "ServiceUnavailable";
      default -> "Code " + code;
    };
  }

  /**
   * Whether a 404 says the resource type is unknown (no CRD), not that one object is missing: the
   * API server names the object in the details of the latter only.
   */
  static boolean unknownResourceType(KubernetesClientException e) {
    if (e.getCode() != 404) {
      return false;
    }
    Status status = e.getStatus();
    return status == null
        || status.getDetails() == null
        || status.getDetails().getName() == null
        || status.getDetails().getName().isEmpty();
  }

  private static String rootMessage(Throwable error) {
    String message = error.getMessage();
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isEmpty()) {
        message = t.getMessage();
      }
    }
    return message == null ? error.getClass().getSimpleName() : message;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
