package dev.weir.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * What the controller logs while open, as an operator would read it in {@code kubectl logs}: each
 * message with the messages of its exception and causes.
 */
public final class LogCapture extends Handler implements AutoCloseable {

  private final List<String> lines = new ArrayList<>();
  private final List<String> traces = new ArrayList<>();

  private LogCapture() {
    setLevel(Level.ALL);
  }

  public static LogCapture start() {
    var capture = new LogCapture();
    Logger.getLogger("").addHandler(capture);
    return capture;
  }

  @Override
  public void publish(LogRecord record) {
    var text = new StringBuilder(record.getLevel() + " " + record.getLoggerName() + ": ");
    text.append(
        record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
    for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
      text.append("\n  caused by ").append(t);
    }
    synchronized (lines) {
      lines.add(text.toString());
      if (record.getThrown() != null) {
        traces.add(text.toString());
      }
    }
  }

  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The lines logged with an exception: what {@code kubectl logs} would show as a stack trace. */
  public List<String> stackTraces() {
    synchronized (lines) {
      return List.copyOf(traces);
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
