package dev.weir.analysis.provider.prometheus;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts every certificate, for every host name: what {@code insecure: true} asks for.
 *
 * <p>It must be an {@link X509ExtendedTrustManager}: the JDK wraps a plain {@code X509TrustManager}
 * in one that still checks the host name, which {@code java.net.http} always asks for.
 */
final class AnyCertificateTrust extends X509ExtendedTrustManager {

  private AnyCertificateTrust() {}

  /** A TLS context that completes a handshake with any server. */
  static SSLContext sslContext() {
    try {
      var context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AnyCertificateTrust()}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM offers no TLS", e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
