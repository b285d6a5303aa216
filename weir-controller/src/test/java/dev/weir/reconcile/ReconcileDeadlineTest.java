package dev.weir.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A reconcile waiting on an answer that never comes (a request on a connection that was reset) is
 * interrupted at its deadline, and its thread goes back to the pool with no interrupt pending.
 */
class ReconcileDeadlineTest {

  @Test
  void aReconcileWaitingPastItsDeadlineIsInterruptedAndLeavesNoInterruptBehind() {
    var answer = new CompletableFuture<Void>();
    try (var deadline = ReconcileDeadline.start("shop/checkout", Duration.ofMillis(200))) {
      assertThatThrownBy(() -> answer.get(30, TimeUnit.SECONDS))
          .isInstanceOf(InterruptedException.class);
      // As the Kubernetes client does when it turns the interrupt into its own exception.
      Thread.currentThread().interrupt();
    }
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aReconcileThatEndsInTimeIsNeverInterrupted() {
    try (var deadline = ReconcileDeadline.start("shop/checkout", Duration.ofMillis(50))) {
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
    // Past the deadline that was ended: the wait runs out by itself, no interrupt arrives.
    assertThatThrownBy(() -> new CompletableFuture<Void>().get(300, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
  }
}
