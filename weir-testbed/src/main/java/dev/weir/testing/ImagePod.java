package dev.weir.testing;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The controller image run as the kubelet and a container runtime would run the chart's pod, with
 * no runtime on this machine: in a mount namespace of its own ({@code unshare}), the unpacked image
 * as root filesystem, read-only ({@code readOnlyRootFilesystem}), a fresh tmpfs on {@code /tmp}
 * (the chart's emptyDir), the service account's token, CA and namespace where Kubernetes projects
 * them, the host's {@code /proc}, {@code /dev} and {@code /sys}, then {@code chroot} as the pod's
 * user and group into the image's entrypoint, in its working directory, with the image's
 * environment and the container's. The network is the host's: the API server is reached on
 * loopback, as the {@code kubernetes} Service would be reached in a cluster.
 */
public final class ImagePod implements AutoCloseable {

  private static final String SERVICE_ACCOUNT_DIR = "run/secrets/kubernetes.io/serviceaccount";

  private final Process process;
  private final Path log;

  private ImagePod(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts the image's entrypoint.
   *
   * @param user {@code UID:GID} of the pod's security context
   * @param serviceAccount a directory with {@code token}, {@code ca.crt} and {@code namespace}
   * @param env the container's environment, over the image's
   * @param log where the container's output goes
   */
  public static ImagePod start(
      ControllerImage image, String user, Path serviceAccount, Map<String, String> env, Path log)
      throws IOException {
    Path root = image.rootfs().toAbsolutePath();
    String script =
        String.join(
            "\n",
            "set -e",
            "R=" + quote(root.toString()),
            "mount --bind \"$R\" \"$R\"",
            "mount --rbind /proc \"$R/proc\"",
            "mount --rbind /dev \"$R/dev\"",
            "mount --rbind /sys \"$R/sys\"",
            "mount -t tmpfs -o mode=1777 tmpfs \"$R/tmp\"",
            "mount --bind "
                + quote(serviceAccount.toAbsolutePath().toString())
                + " \"$R/"
                + SERVICE_ACCOUNT_DIR
                + "\"",
            "mount --bind /etc/hosts \"$R/etc/hosts\"",
            "mount --bind /etc/resolv.conf \"$R/etc/resolv.conf\"",
            "mount -o remount,bind,ro \"$R\"",
            "exec chroot --userspec="
                + user
                + " \"$R\" env --chdir="
                + image.workingDir()
                + " \"$@\"");
    var command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private"));
    command.addAll(List.of("sh", "-c", script, "image-pod"));
    command.addAll(image.entrypoint());
    var builder = new ProcessBuilder(command);
    var environment = builder.environment();
    environment.clear();
    for (String pair : image.env()) {
      int eq = pair.indexOf('=');
      environment.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    environment.putAll(env);
    environment.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new ImagePod(builder.start(), log);
  }

  /**
   * Writes what the kubelet projects for a ServiceAccount of the real control plane: a token from
   * the TokenRequest API, the cluster's CA, the namespace.
   */
  public static Path serviceAccountFiles(
      Path dir, RealControlPlane cluster, String namespace, String account) throws IOException {
    String token =
        cluster
            .admin()
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(account)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("token"), token);
    Files.writeString(dir.resolve("ca.crt"), Files.readString(cluster.dir().resolve("pki/ca.crt")));
    Files.writeString(dir.resolve("namespace"), namespace);
    return dir;
  }

  /** The container's main process, once the entrypoint has exec'd into java. */
  public ProcessHandle java() {
    var found = new ProcessHandle[1];
    Awaitility.await("java started in the image")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError("the container exited:\n" + logTail(30));
              }
              // unshare, sh, chroot, env and the entrypoint's sh each exec the next: one process.
              if ("java".equals(comm(process.toHandle()))) {
                found[0] = process.toHandle();
                return true;
              }
              return false;
            });
    return found[0];
  }

  /** The HTTP port the application says it listens on (the pod's asks for a free one). */
  public int httpPort() {
    var pattern = Pattern.compile("Listening on: https?://[^:]+:(\\d+)");
    var port = new int[1];
    Awaitility.await("the application listening")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError("the container exited:\n" + logTail(30));
              }
              Matcher m = pattern.matcher(Files.readString(log, StandardCharsets.UTF_8));
              if (m.find()) {
                port[0] = Integer.parseInt(m.group(1));
                return true;
              }
              return false;
            });
    return port[0];
  }

  /**
   * An HTTP probe as the kubelet sends it, on loopback (the pod shares this machine's network): the
   * status code, or -1 when nothing answered.
   */
  public static int probe(int port, String path) {
    try {
      var connection =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      connection.setConnectTimeout(1000);
      connection.setReadTimeout(2000);
      return connection.getResponseCode();
    } catch (IOException e) {
      return -1;
    }
  }

  /** A line of {@code /proc/PID/status}, such as {@code Uid:} (real, effective, saved, fs). */
  public static String status(ProcessHandle process, String field) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
        .filter(l -> l.startsWith(field))
        .findFirst()
        .orElseThrow()
        .substring(field.length())
        .strip();
  }

  /** The mount options of the process's root filesystem, from its {@code mountinfo}. */
  public static String rootMountOptions(ProcessHandle process) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "mountinfo")).stream()
        .map(l -> l.split(" "))
        .filter(f -> f[4].equals("/"))
        .reduce((a, b) -> b) // the last mount on / is the one seen
        .map(f -> f[5])
        .orElseThrow();
  }

  private static String comm(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(p.pid()), "comm")).strip();
    } catch (IOException e) {
      return "";
    }
  }

  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return log
          + ":\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return log + ": " + e.getMessage();
    }
  }

  /** As a node dies: the container is killed, with no time to hand anything over. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** As the kubelet stops a pod: SIGTERM, then SIGKILL after a grace period. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
