package dev.weir.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * A real git server on loopback: Debian's {@code lighttpd} serving git's own {@code git
 * http-backend} as a CGI under {@code /git/}, every request behind HTTP basic authentication (one
 * user, one password), pushes included. Its repositories are bare ones in a folder of its own;
 * {@link #push} commits files to one as a developer (or CI) would, over HTTP.
 */
public final class GitHttpServer implements AutoCloseable {

  static final Path LIGHTTPD = Path.of("/usr/sbin/lighttpd");
  static final Path HTTP_BACKEND = Path.of("/usr/lib/git-core/git-http-backend");

  private final Path dir;
  private final int port;
  private final String user;
  private final String password;
  private final Process process;

  private GitHttpServer(Path dir, int port, String user, String password, Process process) {
    this.dir = dir;
    this.port = port;
    this.user = user;
    this.password = password;
    this.process = process;
  }

  /** Starts the server on a free loopback port; the user and password it accepts. */
  public static GitHttpServer start(String user, String password) {
    for (Path binary : new Path[] {LIGHTTPD, HTTP_BACKEND}) {
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(
            binary
                + " is missing. Install Debian's packages 'lighttpd' and 'git' (apt-get install"
                + " lighttpd git); .ci/run does.");
      }
    }
    try {
      Path dir = Files.createTempDirectory("weir-git-server-");
      Files.createDirectories(dir.resolve("repos"));
      Files.createDirectories(dir.resolve("www"));
      Files.writeString(dir.resolve("users"), user + ":" + password + "\n");
      int port = freePort();
      Files.writeString(dir.resolve("lighttpd.conf"), config(dir, port));
      var process =
          new ProcessBuilder(
                  LIGHTTPD.toString(), "-D", "-f", dir.resolve("lighttpd.conf").toString())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(dir.resolve("lighttpd.log").toFile()))
              .start();
      var server = new GitHttpServer(dir, port, user, password, process);
      await("lighttpd listening on 127.0.0.1:" + port)
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      "lighttpd exited: " + Files.readString(dir.resolve("lighttpd.log")));
                }
                try (var socket = new Socket("127.0.0.1", port)) {
                  return true;
                } catch (IOException e) {
                  return false;
                }
              });
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String config(Path dir, int port) {
    return """
        server.document-root = "%1$s/www"
        server.port = %2$d
        server.bind = "127.0.0.1"
        server.errorlog = "%1$s/error.log"
        server.modules = ("mod_alias", "mod_auth", "mod_authn_file", "mod_setenv", "mod_cgi")
        alias.url = ("/git" => "%3$s")
        $HTTP["url"] =~ "^/git" {
          cgi.assign = ("" => "")
          setenv.add-environment = ("GIT_PROJECT_ROOT" => "%1$s/repos", "GIT_HTTP_EXPORT_ALL" => "")
          auth.backend = "plain"
          auth.backend.plain.userfile = "%1$s/users"
          auth.require = ("" => ("method" => "basic", "realm" => "git", "require" => "valid-user"))
        }
        """
        .formatted(dir, port, HTTP_BACKEND);
  }

  /** The URL prefix of every repository: {@code http://127.0.0.1:PORT/git}. */
  public String address() {
    return "http://127.0.0.1:" + port + "/git";
  }

  /** The URL of a repository, made empty (branch main) the first time it is asked for. */
  public String repository(String name) {
    Path bare = dir.resolve("repos").resolve(name + ".git");
    if (!Files.exists(bare)) {
      try {
        Git.init()
            .setBare(true)
            .setInitialBranch("main")
            .setDirectory(bare.toFile())
            .call()
            .close();
        // git http-backend serves pushes only to a repository that allows them.
        var config = Git.open(bare.toFile()).getRepository().getConfig();
        config.setBoolean("http", null, "receivepack", true);
        config.save();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return address() + "/" + name + ".git";
  }

  /**
   * Commits the files (path to text) over what the branch holds, as someone else would, and pushes
   * them to main over HTTP with the server's password; returns the commit.
   */
  public String push(String repository, Map<String, String> files, String message) {
    Path work = null;
    try {
      work = Files.createTempDirectory(dir, "work-");
      var credentials = new UsernamePasswordCredentialsProvider(user, password);
      try (Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
        git.remoteAdd()
            .setName("origin")
            .setUri(new org.eclipse.jgit.transport.URIish(repository))
            .call();
        boolean empty =
            git.lsRemote().setRemote("origin").setCredentialsProvider(credentials).call().isEmpty();
        if (!empty) {
          git.fetch()
              .setRemote("origin")
              .setCredentialsProvider(credentials)
              .setRefSpecs(new RefSpec("+refs/heads/main:refs/remotes/origin/main"))
              .call();
          git.reset()
              .setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD)
              .setRef("origin/main")
              .call();
        }
        for (var file : files.entrySet()) {
          Path path = work.resolve(file.getKey());
          Files.createDirectories(path.getParent());
          Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
          git.add().addFilepattern(file.getKey()).call();
        }
        var developer = new PersonIdent("A Developer", "developer@example.org");
        var commit =
            git.commit()
                .setMessage(message)
                .setAuthor(developer)
                .setCommitter(developer)
                .setSign(false)
                .call();
        git.push()
            .setRemote("origin")
            .setCredentialsProvider(credentials)
            .setRefSpecs(new RefSpec("HEAD:" + Constants.R_HEADS + "main"))
            .call();
        return commit.name();
      }
    } catch (Exception e) {
      throw new IllegalStateException("push to " + repository + " failed", e);
    } finally {
      delete(work);
    }
  }

  /** The bare repository on the server's disk, to read what was pushed. */
  public Git open(String name) {
    try {
      return Git.open(dir.resolve("repos").resolve(name + ".git").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    delete(dir);
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void delete(Path path) {
    if (path == null || !Files.exists(path)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Temporary files only.
    }
  }
}
