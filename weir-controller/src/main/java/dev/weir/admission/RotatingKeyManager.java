package dev.weir.admission;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents whichever serving certificate is current: a renewed certificate takes effect on the next
 * TLS handshake, without restarting the server or dropping a connection.
 */
final class RotatingKeyManager extends X509ExtendedKeyManager {

  private static final String ALIAS = "webhook";

  private final AtomicReference<ServingCertificate> current = new AtomicReference<>();

  void use(ServingCertificate certificate) {
    current.set(certificate);
  }

  ServingCertificate current() {
    return current.get();
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return alias(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return alias(keyType);
  }

  private String alias(String keyType) {
    var certificate = current.get();
    if (certificate == null) {
      return null;
    }
    String algorithm = certificate.privateKey().getAlgorithm();
    return keyType.equals(algorithm) || ("EC".equals(algorithm) && keyType.startsWith("EC"))
        ? ALIAS
        : null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String alias = alias(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    var certificate = current.get();
    return certificate == null ? null : new X509Certificate[] {certificate.x509()};
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    var certificate = current.get();
    return certificate == null ? null : certificate.privateKey();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
