package dev.weir.cli.review;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a Kustomize overlay with the real Kustomize: {@code kubectl kustomize}, which every
 * kubectl that runs this plugin carries (or a {@code kustomize} on PATH when there is no kubectl).
 * Writing a Kustomize of our own would review something other than what Argo CD and Flux apply.
 *
 * <p>The overlay is built through a kustomization of the review's own beside the side's files,
 * which names the overlay as its one resource and asks for {@code originAnnotations}: each object
 * then says which file it came from, and the user's files stay as they are (their lines are the
 * lines findings point at).
 */
final class KustomizeBuild {

  /** The annotation Kustomize's {@code originAnnotations} writes. */
  static final String ORIGIN = "config.kubernetes.io/origin";

  private static final long TIMEOUT_MINUTES = 5;

  private static final Pattern LOGGED_ERROR = Pattern.compile("(?s)err=\"(.*)\"\\s*$");

  private final List<String> command;

  private KustomizeBuild(List<String> command) {
    this.command = command;
  }

  /** The Kustomize on PATH: kubectl's, else kustomize's; null when there is neither. */
  static KustomizeBuild onPath() {
    if (onPath("kubectl")) {
      return new KustomizeBuild(List.of("kubectl", "kustomize"));
    }
    if (onPath("kustomize")) {
      return new KustomizeBuild(List.of("kustomize", "build"));
    }
    return null;
  }

  /** An overlay that did not build: Kustomize's own message. */
  static final class Failed extends Exception {
    Failed(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The objects the overlay builds, as a YAML stream.
   *
   * @param tree the side's files
   * @param overlay the overlay's folder in {@code tree}
   * @param wrapper an empty folder of the review's own, outside {@code tree}
   */
  String build(Path tree, String overlay, Path wrapper) throws Failed, IOException {
    Files.createDirectories(wrapper);
    String resource = slashes(wrapper.relativize(tree.resolve(overlay)).toString());
    Files.writeString(
        wrapper.resolve("kustomization.yaml"),
        "resources:\n- " + resource + "\nbuildMetadata: [originAnnotations]\n");
    var args = new ArrayList<>(command);
    args.add(wrapper.toString());
    Path errors = wrapper.resolve("stderr");
    Process process =
        new ProcessBuilder(args)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(errors.toFile())
            .start();
    byte[] out = process.getInputStream().readAllBytes();
    try {
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new Failed(String.join(" ", command) + " did not finish in " + TIMEOUT_MINUTES + "m");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new Failed("interrupted");
    }
    if (process.exitValue() != 0) {
      String treeFromWrapper = slashes(wrapper.relativize(tree).toString()) + "/";
      throw new Failed(message(Files.readString(errors), tree, wrapper, treeFromWrapper));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /**
   * Kustomize's own words, without kubectl's log prefix ({@code E1203 ... "command failed"
   * err="..."}) and with the user's paths for the review's folders.
   */
  static String message(String stderr, Path tree, Path wrapper, String treeFromWrapper) {
    String message = stderr.strip();
    Matcher logged = LOGGED_ERROR.matcher(message);
    if (logged.find()) {
      message = logged.group(1).replace("\\\"", "\"");
    }
    return message
        .replace(treeFromWrapper, "")
        .replace(tree + File.separator, "")
        .replace(wrapper + File.separator, "");
  }

  private static String slashes(String path) {
    return path.replace(File.separatorChar, '/');
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
