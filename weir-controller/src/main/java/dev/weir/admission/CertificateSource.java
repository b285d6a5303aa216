package dev.weir.admission;

/** Where the webhook's serving certificate comes from; asked again on every refresh. */
public interface CertificateSource {

  /** The current certificate, renewed or re-read as needed. */
  ServingCertificate current();
}
