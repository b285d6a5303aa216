package dev.weir.admission;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The webhook's TLS identity: a certificate authority of its own and a serving certificate it
 * signed for the names the API server calls, all as PEM, the form a Secret and a webhook's {@code
 * caBundle} hold them in. Weir issues them itself unless cert-manager (or anyone) mounts them.
 *
 * @param caCertificate the authority's certificate: the webhook configuration's caBundle
 * @param caKey the authority's private key, kept to renew the serving certificate
 * @param certificate the serving certificate
 * @param key the serving certificate's private key
 */
public record ServingCertificate(
    String caCertificate, String caKey, String certificate, String key) {

  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new authority and a serving certificate for these DNS names and IP addresses. */
  public static ServingCertificate issue(Collection<String> names, Duration validity, Instant now) {
    KeyPair ca = keyPair();
    X509Certificate caCertificate =
        sign(
            ca,
            new X500Name("CN=weir-webhook-ca"),
            ca.getPublic(),
            new X500Name("CN=weir-webhook-ca"),
            now,
            CA_VALIDITY,
            List.of(),
            true);
    return renewed(pem(caCertificate), pem(ca.getPrivate()), names, validity, now);
  }

  /** A new serving certificate from an existing authority. */
  public static ServingCertificate renewed(
      String caCertificate,
      String caKey,
      Collection<String> names,
      Duration validity,
      Instant now) {
    PrivateKey authorityKey = privateKey(caKey);
    X509Certificate authority = certificate(caCertificate);
    KeyPair serving = keyPair();
    X509Certificate certificate =
        sign(
            new KeyPair(authority.getPublicKey(), authorityKey),
            X500Name.getInstance(authority.getSubjectX500Principal().getEncoded()),
            serving.getPublic(),
            new X500Name("CN=" + names.iterator().next()),
            now,
            validity,
            names,
            false);
    return new ServingCertificate(
        caCertificate, caKey, pem(certificate), pem(serving.getPrivate()));
  }

  /** When the serving certificate stops being valid. */
  public Instant notAfter() {
    return certificate(certificate).getNotAfter().toInstant();
  }

  /** When the authority stops being valid. */
  public Instant caNotAfter() {
    return certificate(caCertificate).getNotAfter().toInstant();
  }

  /** The DNS names and IP addresses the serving certificate is for. */
  public Set<String> names() {
    var names = new TreeSet<String>();
    try {
      var alternatives = certificate(certificate).getSubjectAlternativeNames();
      if (alternatives != null) {
        alternatives.forEach(a -> names.add(String.valueOf(a.get(1))));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return names;
  }

  /**
   * Whether the serving certificate must be renewed: it lacks a name, or less than a third of its
   * life is left (renewed early, so that a replica that reads it late still serves a valid one).
   */
  public boolean due(Collection<String> wanted, Duration validity, Instant now) {
    Instant renewAt = notAfter().minus(validity.dividedBy(3));
    return !names().equals(new TreeSet<>(wanted)) || !now.isBefore(renewAt);
  }

  X509Certificate x509() {
    return certificate(certificate);
  }

  PrivateKey privateKey() {
    return privateKey(key);
  }

  static X509Certificate certificate(String pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
    }
  }

  static PrivateKey privateKey(String pem) {
    try (var parser = new PEMParser(new StringReader(pem))) {
      Object parsed = parser.readObject();
      var converter = new JcaPEMKeyConverter();
      if (parsed instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      if (parsed instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      throw new IllegalArgumentException("not a PEM private key");
    } catch (IOException e) {
      throw new IllegalArgumentException("not a PEM private key: " + e.getMessage(), e);
    }
  }

  private static KeyPair keyPair() {
    try {
      var generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(
      KeyPair issuer,
      X500Name issuerName,
      java.security.PublicKey subjectKey,
      X500Name subject,
      Instant now,
      Duration validity,
      Collection<String> names,
      boolean authority) {
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuerName,
              new BigInteger(96, RANDOM),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(validity)),
              subject,
              subjectKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
      if (authority) {
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        var alternatives = new ArrayList<GeneralName>();
        for (String name : names) {
          alternatives.add(
              new GeneralName(ipAddress(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
        }
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(alternatives.toArray(GeneralName[]::new)));
      }
      var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot issue the webhook's certificate", e);
    }
  }

  private static boolean ipAddress(String name) {
    return name.matches("[0-9.]+") || name.contains(":");
  }

  private static String pem(Object object) {
    var out = new StringWriter();
    try (var writer = new JcaPEMWriter(out)) {
      // Keys as PKCS#8 ("PRIVATE KEY"), the form Go's TLS stack and cert-manager also read.
      writer.writeObject(
          object instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServingCertificate other
        && Objects.equals(caCertificate, other.caCertificate)
        && Objects.equals(certificate, other.certificate)
        && Objects.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(caCertificate, certificate, key);
  }

  @Override
  public String toString() {
    // Never the keys.
    return "ServingCertificate" + names() + " until " + notAfter();
  }
}
