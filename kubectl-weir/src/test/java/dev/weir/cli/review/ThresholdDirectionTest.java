package dev.weir.cli.review;

import static dev.weir.cli.review.ThresholdDirection.Direction.LOOSER;
import static dev.weir.cli.review.ThresholdDirection.Direction.SAME;
import static dev.weir.cli.review.ThresholdDirection.Direction.TIGHTER;
import static dev.weir.cli.review.ThresholdDirection.Direction.UNKNOWN;
import static dev.weir.cli.review.ThresholdDirection.Verdict.FAILURE;
import static dev.weir.cli.review.ThresholdDirection.Verdict.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.cli.review.ThresholdDirection.Direction;
import dev.weir.cli.review.ThresholdDirection.Verdict;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whether a changed condition lets more measurements through, from its text alone. */
class ThresholdDirectionTest {

  static Stream<Arguments> changes() {
    return Stream.of(
        Arguments.of("result[0] >= 0.99", "result[0] >= 0.9", SUCCESS, LOOSER),
        Arguments.of("result[0] >= 0.9", "result[0] >= 0.99", SUCCESS, TIGHTER),
        Arguments.of("result[0] >= 0.99", "result[0]>=0.99", SUCCESS, SAME),
        Arguments.of("result[0] < 500", "result[0] < 800", SUCCESS, LOOSER),
        Arguments.of("result[0] <= 500", "result[0] <= 300", SUCCESS, TIGHTER),
        Arguments.of("0.99 <= result[0]", "0.95 <= result[0]", SUCCESS, LOOSER),
        // A failure condition lets more through when it fails fewer.
        Arguments.of("result[0] > 0.05", "result[0] > 0.1", FAILURE, LOOSER),
        Arguments.of("result[0] > 0.05", "result[0] > 0.01", FAILURE, TIGHTER),
        Arguments.of("result[0] < 0.9", "result[0] < 0.8", FAILURE, LOOSER),
        // Several thresholds: all one way, or unknown.
        Arguments.of(
            "result[0] >= 0.99 && result[1] < 500",
            "result[0] >= 0.95 && result[1] < 800",
            SUCCESS,
            LOOSER),
        Arguments.of(
            "result[0] >= 0.99 || result[1] < 500",
            "result[0] >= 0.999 || result[1] < 800",
            SUCCESS,
            UNKNOWN),
        Arguments.of("all(result, x, x >= 0.99)", "all(result, x, x >= 0.9)", SUCCESS, LOOSER),
        Arguments.of("result[0] > -1", "result[0] > -5", SUCCESS, LOOSER),
        // What the text cannot tell.
        Arguments.of("result[0] >= 0.99", "result[1] >= 0.99", SUCCESS, UNKNOWN),
        Arguments.of("result[0] >= 0.99", "result[0] > 0.99", SUCCESS, UNKNOWN),
        Arguments.of("result[0] == 1", "result[0] == 2", SUCCESS, UNKNOWN),
        Arguments.of("!(result[0] < 0.99)", "!(result[0] < 0.9)", SUCCESS, UNKNOWN),
        Arguments.of("result[0] >= 0.99", "size(result) > 0", SUCCESS, UNKNOWN),
        // Arithmetic binds tighter: 100 is a factor, not a threshold.
        Arguments.of("result[0] * 100 >= 99", "result[0] * 100 >= 90", SUCCESS, LOOSER),
        Arguments.of("result[0] * 100 >= 99", "result[0] * 10 >= 99", SUCCESS, UNKNOWN));
  }

  @ParameterizedTest(name = "{2}: {0} → {1} is {3}")
  @MethodSource("changes")
  void judgesTheDirectionOfAChangedThreshold(
      String before, String after, Verdict verdict, Direction expected) {
    assertThat(ThresholdDirection.compare(before, after, verdict)).isEqualTo(expected);
  }
}
