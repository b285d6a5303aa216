package dev.weir.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Durations as a user writes them in {@code pause: {duration: ...}}. */
class DurationsTest {

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("30 (a number)", new IntOrString(30), Duration.ofSeconds(30)),
        Arguments.of("0 (a number)", new IntOrString(0), Duration.ZERO),
        Arguments.of("\"30\"", new IntOrString("30"), Duration.ofSeconds(30)),
        Arguments.of("\"30s\"", new IntOrString("30s"), Duration.ofSeconds(30)),
        Arguments.of("\"5m\"", new IntOrString("5m"), Duration.ofMinutes(5)),
        Arguments.of("\"1h\"", new IntOrString("1h"), Duration.ofHours(1)),
        Arguments.of("\"1h30m\"", new IntOrString("1h30m"), Duration.ofMinutes(90)),
        Arguments.of("\"1m30s\"", new IntOrString("1m30s"), Duration.ofSeconds(90)),
        Arguments.of("\"250ms\"", new IntOrString("250ms"), Duration.ofMillis(250)),
        Arguments.of("\"1s500ms\"", new IntOrString("1s500ms"), Duration.ofMillis(1500)),
        Arguments.of("\" 2m \" (spaces around)", new IntOrString(" 2m "), Duration.ofMinutes(2)));
  }

  @ParameterizedTest(name = "{0} is {2}")
  @MethodSource("accepted")
  void parsesWhatUsersWrite(String label, IntOrString text, Duration expected) {
    assertThat(Durations.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @ValueSource(strings = {"5 minutes", "", "   ", "-1", "-5m", "5x", "m5", "1.5h", "5m-", "1d"})
  void rejectsWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> Durations.parse(new IntOrString(text)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text.trim() + "'")
        .hasMessageContaining("is not a duration");
  }

  @Test
  void rejectsANegativeNumber() {
    assertThatThrownBy(() -> Durations.parse(new IntOrString(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative")
        .hasMessageContaining("-1");
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @ValueSource(strings = {"9223372036854775807h", "2562047788015216h"})
  void rejectsNumbersTooLargeForAClock(String text) {
    assertThatThrownBy(() -> Durations.parse(new IntOrString(text)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text);
  }
}
