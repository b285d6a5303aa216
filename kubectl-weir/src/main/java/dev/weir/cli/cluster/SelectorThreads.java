package dev.weir.cli.cluster;

/**
 * Stops the selector threads of the JDK's HTTP clients before the plugin exits.
 *
 * <p>A JVM that exits waits, in steps of 10 ms up to 300 ms, for its threads in native code to
 * settle; a {@code java.net.http} client's selector thread sits in native code (the selector's
 * poll) for as long as the client lives, and on Java 17 a client cannot be closed. A command that
 * patched or watched through fabric8's client would spend a third of a second waiting to exit.
 * Interrupting a thread blocked in a selector wakes it up, and the selector thread ends on
 * interrupt; the command is finished by then, its output flushed.
 */
public final class SelectorThreads {

  /** How the JDK names them: {@code HttpClient-1-SelectorManager}. */
  private static final String SUFFIX = "-SelectorManager";

  private SelectorThreads() {}

  public static void stop() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 8];
    int count = root.enumerate(threads, true);
    for (int i = 0; i < count; i++) {
      Thread thread = threads[i];
      if (thread.getName().startsWith("HttpClient-") && thread.getName().endsWith(SUFFIX)) {
        thread.interrupt();
      }
    }
  }
}
