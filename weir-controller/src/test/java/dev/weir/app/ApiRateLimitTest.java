package dev.weir.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The client's token bucket: bursts after a quiet while, then the sustained rate. */
class ApiRateLimitTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstGoesAtOnceAndTheRequestsAfterItWaitTheirTurn() {
    var now = new AtomicLong(0);
    var limit = new ApiRateLimit(10, 3, now::get);

    assertThat(limit.reserve()).isZero();
    assertThat(limit.reserve()).isZero();
    assertThat(limit.reserve()).isZero();
    // The bucket is empty: the fourth waits a tenth of a second, the fifth two tenths.
    assertThat(limit.reserve()).isEqualTo(SECOND / 10);
    assertThat(limit.reserve()).isEqualTo(2 * SECOND / 10);
  }

  @Test
  void aQuietWhileRefillsTheBucketUpToTheBurstOnly() {
    var now = new AtomicLong(0);
    var limit = new ApiRateLimit(10, 2, now::get);
    limit.reserve();
    limit.reserve();

    now.addAndGet(60 * SECOND);

    assertThat(limit.reserve()).isZero();
    assertThat(limit.reserve()).isZero();
    assertThat(limit.reserve()).isEqualTo(SECOND / 10);
  }
}
