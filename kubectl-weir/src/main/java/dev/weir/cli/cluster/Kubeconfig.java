package dev.weir.cli.cluster;

import dev.weir.cli.CliException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Finds the cluster, credentials and namespace the way kubectl does: {@code --kubeconfig}, else the
 * files listed in {@code KUBECONFIG} (the first file to name a cluster, user or context wins, and
 * the first current-context), else {@code ~/.kube/config}; {@code --context}, else the
 * current-context.
 *
 * <p>Read with SnakeYAML into plain maps rather than with fabric8's kubeconfig model: binding that
 * model costs about a third of a second of a cold start. Credentials this reader does not handle
 * itself (exec plugins, auth providers, proxies, a TLS server name) are left to fabric8's own
 * loader: the target then says {@link Target#delegated()}.
 */
public final class Kubeconfig {

  /** Where and as whom to connect. PEM contents are the files' or the inline data's bytes. */
  record Target(
      String context,
      String server,
      String namespace,
      byte[] certificateAuthority,
      boolean insecureSkipTlsVerify,
      byte[] clientCertificate,
      byte[] clientKey,
      String token,
      String username,
      String password,
      List<Path> files,
      String delegatedBecause) {

    /** Whether fabric8's own kubeconfig loader must make the connection. */
    boolean delegated() {
      return delegatedBecause != null;
    }

    /** {@code host:port} of the server, as kubectl names it in its errors. */
    String hostPort() {
      String rest = server.replaceFirst("^[a-zA-Z]+://", "");
      int slash = rest.indexOf('/');
      String hostPort = slash < 0 ? rest : rest.substring(0, slash);
      if (hostPort.contains(":") && !hostPort.endsWith("]")) {
        return hostPort;
      }
      return hostPort + (server.startsWith("http://") ? ":80" : ":443");
    }
  }

  private Kubeconfig() {}

  /**
   * Resolves the target.
   *
   * @param explicit {@code --kubeconfig}, or null
   * @param context {@code --context}, or null
   * @param env the environment ({@code KUBECONFIG}, {@code HOME})
   */
  static Target resolve(String explicit, String context, Map<String, String> env) {
    List<Path> files = files(explicit, env);
    if (files.isEmpty()) {
      throw CliException.error(
          "no configuration has been provided: set KUBECONFIG, create ~/.kube/config, or pass"
              + " --kubeconfig");
    }
    var merged = new Merged();
    for (Path file : files) {
      merged.add(file, read(file));
    }
    String name = context != null && !context.isEmpty() ? context : merged.currentContext;
    if (name == null || name.isEmpty()) {
      throw CliException.error(
          "no context is set in "
              + describe(files)
              + ": pass --context, or choose one with kubectl config use-context");
    }
    Entry ctx = merged.contexts.get(name);
    if (ctx == null) {
      throw CliException.error("context \"" + name + "\" does not exist");
    }
    String clusterName = string(ctx.body, "cluster");
    String userName = string(ctx.body, "user");
    Entry cluster = merged.clusters.get(clusterName);
    if (cluster == null) {
      throw CliException.error(
          "cluster \"" + clusterName + "\" of context \"" + name + "\" does not exist");
    }
    Entry user = userName == null ? null : merged.users.get(userName);
    if (userName != null && !userName.isEmpty() && user == null) {
      throw CliException.error(
          "user \"" + userName + "\" of context \"" + name + "\" does not exist");
    }
    Map<String, Object> c = cluster.body;
    Map<String, Object> u = user == null ? Map.of() : user.body;
    String server = string(c, "server");
    if (server == null || server.isEmpty()) {
      throw CliException.error("cluster \"" + clusterName + "\" has no server");
    }
    String delegated = null;
    for (String key : List.of("exec", "auth-provider")) {
      if (u.get(key) != null) {
        delegated = "user \"" + userName + "\" authenticates with " + key;
      }
    }
    for (String key : List.of("proxy-url", "tls-server-name")) {
      if (c.get(key) != null) {
        delegated = "cluster \"" + clusterName + "\" sets " + key;
      }
    }
    String token = string(u, "token");
    String tokenFile = string(u, "tokenFile");
    if ((token == null || token.isEmpty()) && tokenFile != null && !tokenFile.isEmpty()) {
      token =
          new String(bytes(user.file, tokenFile, null, "tokenFile"), StandardCharsets.UTF_8).trim();
    }
    return new Target(
        name,
        server,
        emptyToNull(string(ctx.body, "namespace")),
        bytes(
            cluster.file,
            string(c, "certificate-authority"),
            string(c, "certificate-authority-data"),
            "certificate-authority"),
        Boolean.TRUE.equals(c.get("insecure-skip-tls-verify")),
        user == null
            ? null
            : bytes(
                user.file,
                string(u, "client-certificate"),
                string(u, "client-certificate-data"),
                "client-certificate"),
        user == null
            ? null
            : bytes(user.file, string(u, "client-key"), string(u, "client-key-data"), "client-key"),
        emptyToNull(token),
        emptyToNull(string(u, "username")),
        emptyToNull(string(u, "password")),
        files,
        delegated);
  }

  /** The names of the contexts of the kubeconfig files in effect, for completion. */
  public static List<String> contexts(String explicit, Map<String, String> env) {
    var merged = new Merged();
    for (Path file : files(explicit, env)) {
      merged.add(file, read(file));
    }
    return new ArrayList<>(merged.contexts.keySet());
  }

  /** The kubeconfig files in effect, in kubectl's order of precedence. */
  static List<Path> files(String explicit, Map<String, String> env) {
    if (explicit != null && !explicit.isEmpty()) {
      Path path = Path.of(explicit);
      if (!Files.isRegularFile(path)) {
        throw CliException.error("stat " + explicit + ": no such file or directory");
      }
      return List.of(path);
    }
    var files = new ArrayList<Path>();
    String list = env.get("KUBECONFIG");
    if (list != null && !list.isEmpty()) {
      for (String part : list.split(java.io.File.pathSeparator)) {
        if (!part.isEmpty() && Files.isRegularFile(Path.of(part))) {
          files.add(Path.of(part));
        }
      }
      return files;
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    Path fallback = Path.of(home, ".kube", "config");
    if (Files.isRegularFile(fallback)) {
      files.add(fallback);
    }
    return files;
  }

  private record Entry(Path file, Map<String, Object> body) {}

  /** kubectl's merge: the first file to define a name keeps it. */
  private static final class Merged {
    final Map<String, Entry> clusters = new LinkedHashMap<>();
    final Map<String, Entry> users = new LinkedHashMap<>();
    final Map<String, Entry> contexts = new LinkedHashMap<>();
    String currentContext;

    void add(Path file, Map<String, Object> doc) {
      if (currentContext == null || currentContext.isEmpty()) {
        currentContext = string(doc, "current-context");
      }
      named(file, doc, "clusters", "cluster", clusters);
      named(file, doc, "users", "user", users);
      named(file, doc, "contexts", "context", contexts);
    }

    private static void named(
        Path file, Map<String, Object> doc, String list, String key, Map<String, Entry> into) {
      if (!(doc.get(list) instanceof List<?> items)) {
        return;
      }
      for (Object item : items) {
        if (item instanceof Map<?, ?> named && named.get("name") instanceof String name) {
          into.putIfAbsent(name, new Entry(file, map(named.get(key))));
        }
      }
    }
  }

  private static Map<String, Object> read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw CliException.error("cannot read kubeconfig " + file + ": " + e.getMessage());
    }
    try {
      Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
      return doc == null ? Map.of() : map(doc);
    } catch (YAMLException | ClassCastException e) {
      throw CliException.error(
          "kubeconfig " + file + " is not valid YAML: " + e.getMessage().lines().findFirst().get());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    if (value == null) {
      return Map.of();
    }
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new ClassCastException("expected a mapping, found " + value);
  }

  private static String string(Map<String, Object> map, String key) {
    Object value = map.get(key);
    return value == null ? null : value.toString();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** A file's bytes (relative paths are relative to the kubeconfig) or base64 inline data. */
  private static byte[] bytes(Path kubeconfig, String file, String data, String field) {
    if (data != null && !data.isEmpty()) {
      try {
        return Base64.getMimeDecoder().decode(data);
      } catch (IllegalArgumentException e) {
        throw CliException.error(field + "-data in " + kubeconfig + " is not base64");
      }
    }
    if (file == null || file.isEmpty()) {
      return null;
    }
    Path path = Path.of(file);
    if (!path.isAbsolute() && kubeconfig.toAbsolutePath().getParent() != null) {
      path = kubeconfig.toAbsolutePath().getParent().resolve(path);
    }
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw CliException.error("unable to read " + field + " " + path + ": " + reason(e));
    } catch (UncheckedIOException e) {
      throw CliException.error(
          "unable to read " + field + " " + path + ": " + reason(e.getCause()));
    }
  }

  private static String reason(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException
        ? "no such file or directory"
        : String.valueOf(e.getMessage());
  }

  private static String describe(List<Path> files) {
    return files.size() == 1 ? files.get(0).toString() : "the kubeconfig files " + files;
  }
}
