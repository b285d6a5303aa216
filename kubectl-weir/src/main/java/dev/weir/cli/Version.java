package dev.weir.cli;

import dev.weir.api.WellKnownNames;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The plugin's version, written into the classes by the build. */
public final class Version {

  private static final String VERSION = read();

  private Version() {}

  public static String get() {
    return VERSION;
  }

  /** What {@code kubectl weir version} and {@code --version} print. */
  public static String line() {
    return "kubectl-weir "
        + VERSION
        + " ("
        + WellKnownNames.API_VERSION
        + ", Java "
        + System.getProperty("java.version")
        + ")";
  }

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      var properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
