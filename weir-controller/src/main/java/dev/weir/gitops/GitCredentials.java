package dev.weir.gitops;

import java.util.Objects;

/**
 * The user and password (or token) a write-back authenticates with over HTTPS, read from an
 * opted-in Secret. Never printed: {@link #toString} hides the password, so that a request logged by
 * mistake carries none.
 */
public final class GitCredentials {

  /** The user when the Secret names none: hosts that take a token as password ignore it. */
  static final String DEFAULT_USER = "weir";

  private final String username;
  private final String password;

  public GitCredentials(String username, String password) {
    this.username = username == null || username.isBlank() ? DEFAULT_USER : username;
    this.password = Objects.requireNonNull(password);
  }

  String username() {
    return username;
  }

  String password() {
    return password;
  }

  @Override
  public String toString() {
    return "GitCredentials[" + username + ", password hidden]";
  }
}
