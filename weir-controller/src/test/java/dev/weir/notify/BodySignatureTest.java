package dev.weir.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Signatures against published HMAC-SHA256 vectors, as receivers compute them. */
class BodySignatureTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // Wikipedia's HMAC example.
        "key|The quick brown fox jumps over the lazy dog|"
            + "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
        // RFC 4231, test case 2.
        "Jefe|what do ya want for nothing?|"
            + "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
      })
  void theHexHmacOfTheBodysBytes(String key, String body, String signature) {
    assertThat(BodySignature.of(body, key)).isEqualTo(signature);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"{\"a\": 1}", "{\"a\": 1} ", "{\"a\":1}"})
  void anyChangeOfTheBodyChangesIt(String body) {
    assertThat(BodySignature.of(body, "k")).isNotEqualTo(BodySignature.of("{\"a\": 1 }", "k"));
  }
}
