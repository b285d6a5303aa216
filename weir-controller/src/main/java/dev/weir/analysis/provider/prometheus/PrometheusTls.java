package dev.weir.analysis.provider.prometheus;

import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The operator's TLS settings for Prometheus: a CA to trust besides the system's (a private CA),
 * and a client certificate with its key for servers that ask for one. PEM files, as a chart mounts
 * them from a Secret or ConfigMap; keys in PKCS#8, PKCS#1 (RSA) or SEC1 (EC).
 *
 * @param caFile certificates to trust in addition to the system's
 * @param certFile the client certificate (chain), presented only where the caller says so
 * @param keyFile its private key, unencrypted
 */
public record PrometheusTls(
    Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) {

  public PrometheusTls {
    if (certFile.isPresent() != keyFile.isPresent()) {
      throw new IllegalArgumentException(
          "a Prometheus client certificate needs its key, and a key its certificate: set both"
              + " weir.prometheus.tls.cert-file and weir.prometheus.tls.key-file, or neither");
    }
  }

  /** The system's CAs, no client certificate. */
  public static PrometheusTls none() {
    return new PrometheusTls(Optional.empty(), Optional.empty(), Optional.empty());
  }

  public boolean hasClientCertificate() {
    return certFile.isPresent();
  }

  /**
   * A TLS context trusting the system's CAs and {@code caFile}, presenting the client certificate
   * when {@code present} (and one is configured).
   *
   * @throws IllegalArgumentException when a file cannot be read or holds no usable certificate or
   *     key: the controller must not start with TLS settings it cannot honour
   */
  SSLContext context(boolean present) {
    try {
      // fabric8's PEM readers, as the Kubernetes client itself uses them for kubeconfigs: the CA
      // merged into the system's trust store, the key of any of the usual encodings.
      TrustManager[] trust =
          caFile.isPresent()
              ? SSLUtils.trustManagers(null, readable(caFile.get()), false, null, null)
              : null;
      KeyManager[] keys = present && hasClientCertificate() ? keyManagers() : null;
      var context = SSLContext.getInstance("TLS");
      context.init(keys, trust, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "Prometheus TLS settings unusable (weir.prometheus.tls: ca-file "
              + caFile.map(Path::toString).orElse("none")
              + ", cert-file "
              + certFile.map(Path::toString).orElse("none")
              + ", key-file "
              + keyFile.map(Path::toString).orElse("none")
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private KeyManager[] keyManagers() throws GeneralSecurityException, IOException {
    String cert = readable(certFile.get());
    String key = readable(keyFile.get());
    GeneralSecurityException lastKey = null;
    IOException lastRead = null;
    // The PEM does not always say its algorithm (PKCS#8 does not): try each.
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        // The passphrase guards only the in-memory key store fabric8 builds.
        return SSLUtils.keyManagers(null, cert, null, key, algorithm, "changeit", null, null);
      } catch (GeneralSecurityException e) {
        lastKey = e;
      } catch (IOException e) {
        lastRead = e;
      }
    }
    if (lastKey != null) {
      throw lastKey;
    }
    throw new IOException(
        keyFile.get() + " holds no RSA or EC private key: " + lastRead.getMessage(), lastRead);
  }

  private static String readable(Path file) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IOException(file + " cannot be read");
    }
    return file.toString();
  }
}
