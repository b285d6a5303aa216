package dev.weir.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority for a test, made by {@code openssl} (Debian's package {@code
 * openssl}): its own certificate and key, and the server and client certificates it issues, as PEM
 * files in a folder. What an organisation's internal CA (or cert-manager's CA issuer) gives a
 * Prometheus that only its own clients may query.
 *
 * @param certificate the CA's certificate, PEM: what a client or server trusts
 * @param key its private key, PEM
 */
public record CertificateAuthority(Path certificate, Path key) {

  /** A new P-256 key, unencrypted, for {@code openssl req}. */
  private static final List<String> NEW_KEY =
      List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes");

  /** A certificate the CA issued and its key, PEM. */
  public record Issued(Path certificate, Path key) {}

  /** A new CA named {@code name}, in {@code dir}. */
  public static CertificateAuthority create(Path dir, String name) {
    var ca = new CertificateAuthority(dir.resolve(name + "-ca.crt"), dir.resolve(name + "-ca.key"));
    openssl(
        dir,
        NEW_KEY,
        "req",
        "-x509",
        "-days",
        "2",
        "-subj",
        "/CN=" + name + " test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout",
        ca.key.toString(),
        "-out",
        ca.certificate.toString());
    return ca;
  }

  /**
   * A server certificate for the given subject alternative names, in openssl's spelling ({@code
   * DNS:localhost}, {@code IP:127.0.0.1}).
   */
  public Issued issueServer(String name, List<String> subjectAltNames) {
    return issue(
        name, "extendedKeyUsage=serverAuth\nsubjectAltName=" + String.join(",", subjectAltNames));
  }

  /** A client certificate whose subject is {@code CN=name}. */
  public Issued issueClient(String name) {
    return issue(name, "extendedKeyUsage=clientAuth");
  }

  private Issued issue(String name, String extensions) {
    Path dir = certificate.getParent();
    var issued = new Issued(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
    Path request = dir.resolve(name + ".csr");
    Path config = dir.resolve(name + ".ext");
    try {
      Files.writeString(config, "basicConstraints=CA:FALSE\n" + extensions + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    openssl(
        dir,
        NEW_KEY,
        "req",
        "-new",
        "-subj",
        "/CN=" + name,
        "-keyout",
        issued.key.toString(),
        "-out",
        request.toString());
    openssl(
        dir,
        List.of(),
        "x509",
        "-req",
        "-in",
        request.toString(),
        "-CA",
        certificate.toString(),
        "-CAkey",
        key.toString(),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        config.toString(),
        "-out",
        issued.certificate.toString());
    return issued;
  }

  /** Runs {@code openssl args... key}, its output in the folder's log. */
  private static void openssl(Path dir, List<String> key, String... args) {
    var command = new ArrayList<String>();
    command.add("openssl");
    command.addAll(List.of(args));
    command.addAll(key);
    Path log = dir.resolve("openssl-ca.log");
    try {
      var process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "openssl " + args[0] + " failed (Debian package 'openssl'):\n" + Files.readString(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "openssl could not run; install Debian's package 'openssl' (.ci/run does)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making a certificate", e);
    }
  }
}
