package dev.weir.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.jboss.logging.Logger;

/**
 * Plays Argo CD (or Flux) for one file of a git repository: it polls the branch over HTTP, and
 * whenever the branch moves it fetches the new head and applies the file's objects to the API
 * server by server-side apply, as its own field manager, taking over what git declares. What it
 * applied, commit by commit, is kept for a story to assert on.
 */
public final class GitSync implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(GitSync.class);

  /** The field manager of the sync's applies. */
  public static final String FIELD_MANAGER = "argocd-controller";

  private final KubernetesClient client;
  private final String namespace;
  private final String branch;
  private final String path;
  private final Git local;
  private final UsernamePasswordCredentialsProvider credentials;
  private final ScheduledExecutorService poller;
  private final List<String> synced = new ArrayList<>();
  private volatile ObjectId last;

  private GitSync(
      KubernetesClient client,
      String namespace,
      String branch,
      String path,
      Git local,
      UsernamePasswordCredentialsProvider credentials) {
    this.client = client;
    this.namespace = namespace;
    this.branch = branch;
    this.path = path;
    this.local = local;
    this.credentials = credentials;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var thread = new Thread(r, "git-sync");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts syncing {@code path} of {@code branch} into {@code namespace}, every 200 ms. */
  public static GitSync start(
      KubernetesClient client,
      String namespace,
      String repository,
      String branch,
      String path,
      String user,
      String password) {
    try {
      Path dir = Files.createTempDirectory("weir-git-sync-");
      Git local = Git.init().setBare(true).setDirectory(dir.toFile()).call();
      local.remoteAdd().setName("origin").setUri(new URIish(repository)).call();
      var sync =
          new GitSync(
              client,
              namespace,
              branch,
              path,
              local,
              new UsernamePasswordCredentialsProvider(user, password));
      sync.poller.scheduleWithFixedDelay(sync::poll, 0, 200, TimeUnit.MILLISECONDS);
      return sync;
    } catch (Exception e) {
      throw new IllegalStateException("git sync of " + repository + " cannot start", e);
    }
  }

  /** The commits applied so far, oldest first. */
  public synchronized List<String> synced() {
    return List.copyOf(synced);
  }

  private void poll() {
    try {
      var head =
          local.lsRemote().setRemote("origin").setCredentialsProvider(credentials).call().stream()
              .filter(r -> r.getName().equals(Constants.R_HEADS + branch))
              .map(r -> r.getObjectId())
              .findFirst()
              .orElse(null);
      if (head == null || head.equals(last)) {
        return;
      }
      local
          .fetch()
          .setRemote("origin")
          .setCredentialsProvider(credentials)
          .setRefSpecs(
              new RefSpec("+" + Constants.R_HEADS + branch + ":refs/remotes/origin/" + branch))
          .call();
      apply(read(head));
      last = head;
      synchronized (this) {
        synced.add(head.name());
      }
    } catch (Exception e) {
      // The next poll tries again, as a GitOps tool retries a failed sync.
      LOG.warnf("git sync of %s failed: %s", path, e.toString());
    }
  }

  private String read(ObjectId commit) throws IOException {
    var repo = local.getRepository();
    var tree = repo.parseCommit(commit).getTree();
    try (var walk = TreeWalk.forPath(repo, path, tree)) {
      if (walk == null) {
        throw new IOException(path + " is not in commit " + commit.name());
      }
      return new String(repo.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
  }

  private void apply(String manifests) {
    for (String document : manifests.split("(?m)^---\\s*$")) {
      if (document.isBlank()) {
        continue;
      }
      var object = Serialization.unmarshal(document, GenericKubernetesResource.class);
      if (object == null) {
        continue;
      }
      object.getMetadata().setNamespace(namespace);
      client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    local.close();
    try (var paths = Files.walk(local.getRepository().getDirectory().toPath())) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
