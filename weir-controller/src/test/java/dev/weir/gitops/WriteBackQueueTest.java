package dev.weir.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.api.v1alpha1.GitWriteBackMode;
import dev.weir.api.v1alpha1.GitWriteBackStatus;
import dev.weir.api.v1alpha1.GitWriteBackStatus.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The queue of write-backs: one write per rollout and revision under way at a time however often a
 * reconcile asks, its outcome offered until status records it, and a writer that throws ending as a
 * Failed write-back with nothing of the password in it.
 */
class WriteBackQueueTest {

  static final Duration BOUND = Duration.ofSeconds(10);

  static RevertRequest request(String hash, String password) {
    return new RevertRequest(
        "shop/checkout",
        hash,
        "https://git.example/shop/config.git",
        "main",
        "apps/checkout/rollout.yaml",
        Map.of(),
        "image.tag",
        "2.5.0",
        "2.4.1",
        "Aborted on request",
        GitWriteBackMode.commit,
        Optional.of(new GitCredentials("weir", password)));
  }

  @Test
  void oneWritePerRevisionAndItsOutcomeUntilRecorded() throws Exception {
    var writes = new AtomicInteger();
    var release = new CountDownLatch(1);
    try (var queue =
        new WriteBackQueue(
            GitOpsSettings.defaults(),
            r -> {
              writes.incrementAndGet();
              await().atMost(BOUND).until(() -> release.getCount() == 0);
              return GitWriteBackStatus.of(Phase.Committed, "pushed", "2026-12-03T12:00:00Z");
            })) {
      queue.write("uid-1", request("v2", "pw"));
      queue.write("uid-1", request("v2", "pw"));
      assertThat(queue.ended("uid-1", List.of())).as("under way").isEmpty();
      release.countDown();

      await().atMost(BOUND).until(() -> queue.ended("uid-1", List.of()).containsKey("v2"));
      queue.write("uid-1", request("v2", "pw"));
      assertThat(writes).hasValue(1);
      assertThat(queue.ended("uid-2", List.of())).as("another rollout's").isEmpty();
      assertThat(queue.ended("uid-1", List.of("v2"))).as("recorded: forgotten").isEmpty();
      assertThat(queue.ended("uid-1", List.of())).isEmpty();
    }
  }

  @Test
  void aWriterThatThrowsEndsFailedWithoutThePassword() {
    try (var queue =
        new WriteBackQueue(
            GitOpsSettings.defaults(),
            r -> {
              throw new IllegalStateException("https://weir:t0p-s3cret@git.example/ broke");
            })) {
      queue.write("uid-1", request("v2", "t0p-s3cret"));

      await().atMost(BOUND).until(() -> queue.ended("uid-1", List.of()).containsKey("v2"));
      var outcome = queue.ended("uid-1", List.of()).get("v2");
      assertThat(outcome.phase).isEqualTo(Phase.Failed);
      assertThat(outcome.message)
          .isEqualTo("the write-back failed: IllegalStateException: https://git.example/ broke")
          .doesNotContain("t0p-s3cret");
    }
  }
}
