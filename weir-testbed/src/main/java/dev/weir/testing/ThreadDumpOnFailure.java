package dev.weir.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Writes every thread's stack to the test log when a story fails, before its Weir is stopped: a
 * release that stalls under faults is a reconcile blocked somewhere, and the stack says where (the
 * test log is {@code weir-testbed/target/weir-test-N.log, N the test JVM}, kept by CI).
 */
public final class ThreadDumpOnFailure implements TestExecutionExceptionHandler {

  private static final Logger LOG = Logger.getLogger(ThreadDumpOnFailure.class);

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    var dump = new StringBuilder();
    for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      dump.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
      if (thread.getLockName() != null) {
        dump.append(" on ").append(thread.getLockName());
      }
      dump.append('\n');
      for (StackTraceElement frame : thread.getStackTrace()) {
        dump.append("    at ").append(frame).append('\n');
      }
    }
    LOG.errorf("%s failed; the threads at that moment:%n%s", context.getDisplayName(), dump);
    throw failure;
  }
}
