package dev.weir.cli;

/**
 * Exit codes. Every command exits 0 on success and 1 on any error, as kubectl does; {@code status}
 * also tells the rollout's verdict apart, for CI pipelines.
 */
public final class ExitCode {

  public static final int OK = 0;

  /** An error (not found, forbidden, no cluster, bad usage, lint findings), or status Degraded. */
  public static final int ERROR = 1;

  /** {@code status}: the rollout is Degraded (aborted, invalid spec, past its deadline). */
  public static final int DEGRADED = 1;

  /** {@code status}: the rollout is Paused (a pause step, or spec.paused). */
  public static final int PAUSED = 2;

  /** {@code lint --diff}: a risky change at or above {@code --fail-on}. */
  public static final int RISKY = 2;

  /** {@code status}: the timeout passed while the rollout was still Progressing. */
  public static final int TIMEOUT = 3;

  private ExitCode() {}
}
