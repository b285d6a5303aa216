package dev.weir.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook's body: {@code sha256=} and the lowercase hex HMAC-SHA256 of the
 * body's UTF-8 bytes under the shared key, as GitHub signs its webhooks ({@code
 * X-Hub-Signature-256}), so that receivers can use the checks they already have.
 */
public final class BodySignature {

  private BodySignature() {}

  public static String of(String body, String key) {
    try {
      var mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
      var hex = new StringBuilder("sha256=");
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      // Every JDK has HmacSHA256, and a key of any length (an empty one aside) is valid for it.
      throw new IllegalStateException("cannot sign with HmacSHA256: " + e.getMessage(), e);
    }
  }
}
