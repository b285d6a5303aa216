package dev.weir.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed TLS certificate and its private key, PEM files made by {@code openssl} (Debian's
 * package {@code openssl}), for a test server that must speak TLS.
 *
 * @param certificate the certificate, PEM
 * @param key its unencrypted private key, PEM
 */
public record SelfSignedCertificate(Path certificate, Path key) {

  /**
   * Makes a certificate valid for the given subject alternative names, in openssl's spelling:
   * {@code DNS:localhost}, {@code IP:127.0.0.1}.
   */
  public static SelfSignedCertificate create(Path dir, List<String> subjectAltNames) {
    var made = new SelfSignedCertificate(dir.resolve("tls.crt"), dir.resolve("tls.key"));
    Path log = dir.resolve("openssl.log");
    try {
      var process =
          new ProcessBuilder(
                  "openssl",
                  "req",
                  "-x509",
                  "-newkey",
                  "ec",
                  "-pkeyopt",
                  "ec_paramgen_curve:prime256v1",
                  "-nodes",
                  "-days",
                  "2",
                  "-subj",
                  "/CN=weir-test",
                  "-addext",
                  "subjectAltName=" + String.join(",", subjectAltNames),
                  "-keyout",
                  made.key.toString(),
                  "-out",
                  made.certificate.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "openssl could not make a self-signed certificate (Debian package 'openssl'):\n"
                + Files.readString(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "openssl could not run; install Debian's package 'openssl' (.ci/run does)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making a certificate", e);
    }
    return made;
  }

  /** TLS for a server that presents this certificate. */
  public SSLContext serverContext() {
    try {
      String pem = Files.readString(key);
      byte[] der =
          Base64.getMimeDecoder()
              .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
      PrivateKey privateKey =
          KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
      char[] password = "weir-test".toCharArray();
      var store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", privateKey, password, new Certificate[] {x509()});
      var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      var context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the certificate " + certificate + " cannot serve TLS", e);
    }
  }

  /** The certificate, for a client that should trust exactly it. */
  public X509Certificate x509() {
    try (InputStream in = Files.newInputStream(certificate)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CertificateException e) {
      throw new IllegalStateException("openssl wrote an unreadable certificate " + certificate, e);
    }
  }
}
