package dev.weir.cli.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS side of a kubeconfig, as kubectl uses it: the cluster's CA (and only it) is trusted when
 * the kubeconfig names one, the system's CAs otherwise; the client presents its certificate and
 * key. Built directly from the PEM data with no key store round trip: fabric8's way (a PKCS#12
 * store with the key encrypted, the system CAs merged in) costs a good part of a cold start.
 */
final class ClientTls {

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private ClientTls() {}

  /** A PEM this reader cannot use (an encrypted key, say): fabric8's loader is tried instead. */
  static final class UnsupportedPem extends Exception {
    UnsupportedPem(String message) {
      super(message);
    }
  }

  static TrustManager[] trustManagers(byte[] caPem, boolean insecure)
      throws GeneralSecurityException {
    if (insecure) {
      return new TrustManager[] {new TrustingEverything()};
    }
    var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (caPem == null) {
      factory.init((KeyStore) null);
      return factory.getTrustManagers();
    }
    var store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    int i = 0;
    for (Certificate cert : certificates(caPem)) {
      store.setCertificateEntry("ca-" + i++, cert);
    }
    if (i == 0) {
      throw new GeneralSecurityException("certificate-authority holds no certificate");
    }
    factory.init(store);
    return factory.getTrustManagers();
  }

  /** Null without a client certificate and key. */
  static KeyManager[] keyManagers(byte[] certPem, byte[] keyPem)
      throws GeneralSecurityException, UnsupportedPem {
    if (certPem == null || keyPem == null) {
      return null;
    }
    var chain = certificates(certPem).stream().map(X509Certificate.class::cast).toList();
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("client-certificate holds no certificate");
    }
    PrivateKey key = privateKey(new String(keyPem, StandardCharsets.US_ASCII));
    return new KeyManager[] {new SingleKey(chain.toArray(new X509Certificate[0]), key)};
  }

  private static java.util.Collection<? extends Certificate> certificates(byte[] pem)
      throws GeneralSecurityException {
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem));
  }

  static PrivateKey privateKey(String pem) throws GeneralSecurityException, UnsupportedPem {
    Matcher m = PEM.matcher(pem);
    if (!m.find()) {
      throw new UnsupportedPem("client-key is not PEM");
    }
    String type = m.group(1);
    byte[] der = Base64.getMimeDecoder().decode(m.group(2).trim());
    switch (type) {
      case "PRIVATE KEY":
        return pkcs8(der);
      case "RSA PRIVATE KEY":
        return KeyFactory.getInstance("RSA")
            .generatePrivate(new PKCS8EncodedKeySpec(wrapPkcs1(der)));
      case "EC PRIVATE KEY":
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(wrapSec1(der)));
      default:
        throw new UnsupportedPem("client-key of type " + type);
    }
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException, UnsupportedPem {
    for (String algorithm : new String[] {"RSA", "EC", "EdDSA"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (java.security.spec.InvalidKeySpecException e) {
        // not this algorithm
      }
    }
    throw new UnsupportedPem("client-key of an unknown algorithm");
  }

  /** PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo. */
  static byte[] wrapPkcs1(byte[] pkcs1) {
    var body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.writeBytes(tlv(0x04, pkcs1));
    return tlv(0x30, body.toByteArray());
  }

  /** SEC1 ECPrivateKey (with its curve parameters) inside a PKCS#8 PrivateKeyInfo. */
  static byte[] wrapSec1(byte[] sec1) throws UnsupportedPem {
    byte[] curve = sec1Curve(sec1);
    var algorithm = new ByteArrayOutputStream();
    algorithm.writeBytes(EC_PUBLIC_KEY_OID);
    algorithm.writeBytes(curve);
    var body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(tlv(0x30, algorithm.toByteArray()));
    body.writeBytes(tlv(0x04, sec1));
    return tlv(0x30, body.toByteArray());
  }

  /** The curve OID (tag and all) in the [0] parameters of an ECPrivateKey. */
  private static byte[] sec1Curve(byte[] der) throws UnsupportedPem {
    int[] at = {0};
    if ((der[at[0]++] & 0xff) != 0x30) {
      throw new UnsupportedPem("EC PRIVATE KEY is not a DER sequence");
    }
    length(der, at);
    while (at[0] < der.length) {
      int tag = der[at[0]++] & 0xff;
      int len = length(der, at);
      if (tag == 0xa0) {
        byte[] oid = new byte[len];
        System.arraycopy(der, at[0], oid, 0, len);
        return oid;
      }
      at[0] += len;
    }
    throw new UnsupportedPem("EC PRIVATE KEY does not name its curve");
  }

  private static int length(byte[] der, int[] at) {
    int first = der[at[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int n = first & 0x7f;
    int len = 0;
    for (int i = 0; i < n; i++) {
      len = (len << 8) | (der[at[0]++] & 0xff);
    }
    return len;
  }

  private static byte[] tlv(int tag, byte[] value) {
    var out = new ByteArrayOutputStream();
    out.write(tag);
    int len = value.length;
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else if (len < 0x10000) {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len & 0xff);
    } else {
      out.write(0x83);
      out.write(len >> 16);
      out.write((len >> 8) & 0xff);
      out.write(len & 0xff);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  /** The client's one certificate chain and key. */
  private static final class SingleKey extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final X509Certificate[] chain;
    private final PrivateKey key;

    SingleKey(X509Certificate[] chain, PrivateKey key) {
      this.chain = chain;
      this.key = key;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) {
      return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key;
    }
  }

  /** insecure-skip-tls-verify: true. */
  private static final class TrustingEverything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
