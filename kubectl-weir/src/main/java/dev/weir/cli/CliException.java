package dev.weir.cli;

/**
 * An error the user reads as one line on stderr, worded as kubectl words its own ("error: ...",
 * "Error from server (NotFound): ..."), and the exit code the command ends with. Never printed with
 * a stack trace.
 */
public final class CliException extends RuntimeException {

  private final int exitCode;

  public CliException(String line) {
    this(line, ExitCode.ERROR);
  }

  public CliException(String line, int exitCode) {
    super(line, null, false, false);
    this.exitCode = exitCode;
  }

  /** {@code error: <what>}, kubectl's form for errors found on this side. */
  public static CliException error(String what) {
    return new CliException("error: " + what);
  }

  int exitCode() {
    return exitCode;
  }
}
