package dev.weir.gitops;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A text from git (an exception's message: JGit puts the URL in it, with any user info) made safe
 * for status, Events and logs: the password and every URL's user info taken out.
 */
final class Scrubbed {

  private static final Pattern USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]*@");

  private Scrubbed() {}

  static String of(String text, Optional<GitCredentials> credentials) {
    if (text == null) {
      return "";
    }
    String scrubbed = text;
    if (credentials.isPresent() && !credentials.get().password().isEmpty()) {
      scrubbed = scrubbed.replace(credentials.get().password(), "***");
    }
    return USER_INFO.matcher(scrubbed).replaceAll("$1");
  }
}
