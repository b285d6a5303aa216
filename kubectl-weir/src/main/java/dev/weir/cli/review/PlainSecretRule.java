package dev.weir.cli.review;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Secret whose values the pull request puts in git: {@code data} is base64, an encoding, not
 * encryption. A Secret the pull request leaves as it was is not its doing and is not reported; one
 * encrypted by SOPS (a {@code sops} field) is not plain.
 */
final class PlainSecretRule implements RiskRule {

  @Override
  public void check(Change change, Risks risks) {
    if (change.removed() || !change.head().is("", "Secret") || change.head().value().has("sops")) {
      return;
    }
    for (String field : new String[] {"stringData", "data"}) {
      JsonNode values = change.after(field);
      if (values.size() > 0 && !values.equals(change.before(field))) {
        risks.add(
            Severity.HIGH,
            change,
            field,
            "the Secret's values ("
                + String.join(", ", iterable(values))
                + ") are in git in plain text"
                + (field.equals("data") ? " (base64 is an encoding, not encryption)" : "")
                + ": whoever can read the repository can read them; commit a SealedSecret or a"
                + " SOPS-encrypted file, or use an external secret store");
        return;
      }
    }
  }

  private static Iterable<String> iterable(JsonNode values) {
    var keys = new java.util.ArrayList<String>();
    values.fieldNames().forEachRemaining(keys::add);
    return keys;
  }
}
