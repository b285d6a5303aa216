package dev.weir.cli.command;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes a waiting command when a watch saw something change. Several changes before the command
 * looks count as one: the command reads the current state anyway.
 */
final class Changes {

  private final Semaphore signal = new Semaphore(0);
  private volatile boolean closed;

  void changed() {
    signal.release();
  }

  /** A watch ended (the server closed it for good): the command should watch again. */
  void closed() {
    closed = true;
    signal.release();
  }

  /** Takes and clears the closed flag. */
  boolean takeClosed() {
    boolean was = closed;
    closed = false;
    return was;
  }

  /** Waits up to {@code timeout} for a change; true if there was one. */
  boolean await(Duration timeout) throws InterruptedException {
    boolean changed = signal.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
    signal.drainPermits();
    return changed;
  }
}
