package dev.weir.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client keys in the PEM forms kubeconfigs carry (PKCS#8, PKCS#1 RSA, SEC1 EC), made by openssl as
 * cluster tools make them: each one loads and signs what its certificate verifies.
 */
class ClientTlsTest {

  @TempDir Path dir;

  void openssl(String... args) throws Exception {
    var command = new java.util.ArrayList<String>(List.of("openssl"));
    command.addAll(List.of(args));
    var process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rsa-pkcs8", "rsa-pkcs1", "ec-sec1", "ec-pkcs8"})
  void aKeyAndItsCertificateSign(String form) throws Exception {
    if (form.startsWith("rsa")) {
      openssl(
          "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "key.pem");
    } else {
      openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem");
    }
    openssl(
        "req",
        "-new",
        "-x509",
        "-key",
        "key.pem",
        "-subj",
        "/CN=user",
        "-days",
        "1",
        "-out",
        "cert.pem");
    switch (form) {
      case "rsa-pkcs1" -> openssl("rsa", "-in", "key.pem", "-traditional", "-out", "out.pem");
      case "ec-pkcs8" ->
          openssl("pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-out", "out.pem");
      default -> Files.copy(dir.resolve("key.pem"), dir.resolve("out.pem"));
    }
    byte[] key = Files.readAllBytes(dir.resolve("out.pem"));
    byte[] cert = Files.readAllBytes(dir.resolve("cert.pem"));
    String header = new String(key).lines().findFirst().orElseThrow();

    var managers = ClientTls.keyManagers(cert, key);

    assertThat(header)
        .isEqualTo(
            switch (form) {
              case "rsa-pkcs1" -> "-----BEGIN RSA PRIVATE KEY-----";
              case "ec-sec1" -> "-----BEGIN EC PRIVATE KEY-----";
              default -> "-----BEGIN PRIVATE KEY-----";
            });
    var manager = (X509KeyManager) managers[0];
    var privateKey = manager.getPrivateKey("client");
    var certificate =
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(cert));
    String algorithm = form.startsWith("rsa") ? "SHA256withRSA" : "SHA256withECDSA";
    var signer = Signature.getInstance(algorithm);
    signer.initSign(privateKey);
    signer.update("hello".getBytes());
    byte[] signature = signer.sign();
    var verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update("hello".getBytes());
    assertThat(verifier.verify(signature)).isTrue();
    assertThat(manager.getCertificateChain("client")).hasSize(1);
  }
}
