package dev.weir.cli.cluster;

import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Initialises the JDK's TLS machinery on a thread of its own while the kubeconfig is read: the JSSE
 * provider, PKIX trust managers, the key and certificate factories, and the list of the JDK's own
 * CAs, which the JDK loads on the first TLS connection that checks a host name (to know whether the
 * server's CA is a public one), reading every certificate of its cacerts file. Each of these is a
 * one-time cost of a JVM; made here, it is off the connection's path. Nothing is decided here: the
 * connection builds its own trust and key managers from the kubeconfig.
 */
final class TlsWarmUp {

  private static volatile boolean started;

  private TlsWarmUp() {}

  static synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    var thread = new Thread(TlsWarmUp::warm, "kubectl-weir-tls-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private static void warm() {
    try {
      SSLContext.getInstance("TLS");
      TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      KeyStore.getInstance("PKCS12");
      KeyFactory.getInstance("RSA");
      CertificateFactory.getInstance("X.509");
      // The JDK's own CAs (java.base, not exported: initialised by name, never used from here).
      Class.forName("sun.security.util.AnchorCertificates", true, null);
    } catch (Exception | LinkageError e) {
      // Only a head start: the connection does all of this itself when it has to.
    }
  }
}
