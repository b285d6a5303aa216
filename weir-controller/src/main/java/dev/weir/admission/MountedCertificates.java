package dev.weir.admission;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Certificates someone else issues and mounts — cert-manager's Certificate as a Secret volume, say:
 * {@code tls.crt} and {@code tls.key} read from a folder on every refresh, so a renewal by the
 * issuer is served without a restart. The issuer also keeps the caBundle (cert-manager's CA
 * injector), so Weir writes nothing.
 */
public final class MountedCertificates implements CertificateSource {

  private final Path folder;

  public MountedCertificates(Path folder) {
    this.folder = folder;
  }

  @Override
  public ServingCertificate current() {
    try {
      String certificate = Files.readString(folder.resolve(IssuedCertificates.CERT));
      String key = Files.readString(folder.resolve(IssuedCertificates.KEY));
      Path ca = folder.resolve(IssuedCertificates.CA_CERT);
      String authority = Files.exists(ca) ? Files.readString(ca) : certificate;
      return new ServingCertificate(authority, "", certificate, key);
    } catch (IOException e) {
      throw new UncheckedIOException("the webhook's certificate cannot be read from " + folder, e);
    }
  }
}
