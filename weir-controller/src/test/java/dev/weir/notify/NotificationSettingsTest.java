package dev.weir.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The backoff between attempts: doubling from the first retry, capped at the longest. */
class NotificationSettingsTest {

  @ParameterizedTest(name = "retry {0}: {1} ms")
  @CsvSource({
    "1, 1000",
    "2, 2000",
    "3, 4000",
    "8, 128000",
    "9, 256000",
    "10, 300000",
    "40, 300000"
  })
  void theDefaultsDoubleFromASecondUpToFiveMinutes(int retry, long millis) {
    assertThat(NotificationSettings.defaults().backoff(retry)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "retry {0}: {1} ms")
  @CsvSource({"1, 200", "2, 400", "3, 800", "4, 1000", "5, 1000"})
  void compressedForTheStories(int retry, long millis) {
    var settings =
        NotificationSettings.defaults()
            .timing(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(1));
    assertThat(settings.backoff(retry)).isEqualTo(Duration.ofMillis(millis));
  }
}
