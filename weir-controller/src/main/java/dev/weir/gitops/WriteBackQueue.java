package dev.weir.gitops;

import dev.weir.api.v1alpha1.GitWriteBackStatus;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Write-backs to git, made off the reconcile threads: a git round trip takes seconds, a reconcile
 * must not wait for it. A reconcile hands over what the planner asked for ({@link #write}), at most
 * one write per rollout and revision is under way at a time, and a later reconcile takes up how it
 * ended ({@link #ended}) for the planner to record. What it logs holds no credential.
 */
public final class WriteBackQueue implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(WriteBackQueue.class);

  private record Key(String rollout, String hash) {}

  private final Function<RevertRequest, GitWriteBackStatus> writer;
  private final ExecutorService threads;
  private final Map<Key, CompletableFuture<GitWriteBackStatus>> writes = new ConcurrentHashMap<>();
  private final GitOpsSettings settings;

  public WriteBackQueue(GitOpsSettings settings, RevertWriter writer) {
    this(settings, writer::write);
  }

  WriteBackQueue(GitOpsSettings settings, Function<RevertRequest, GitWriteBackStatus> writer) {
    this.settings = settings;
    this.writer = writer;
    this.threads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              var thread = new Thread(r, "weir-git-write-back");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** A queue with the default settings: no address allowed to carry credentials. */
  public static WriteBackQueue defaults(java.time.Clock clock) {
    var settings = GitOpsSettings.defaults();
    return new WriteBackQueue(settings, new RevertWriter(settings.timeout(), clock));
  }

  public GitOpsSettings settings() {
    return settings;
  }

  /**
   * Starts the write-back of a rollout's revision, unless one is under way or ended and not yet
   * taken up.
   *
   * @param rollout the rollout's uid
   */
  public void write(String rollout, RevertRequest request) {
    writes.computeIfAbsent(
        new Key(rollout, request.hash()),
        key ->
            CompletableFuture.supplyAsync(
                () -> {
                  var outcome = safely(request);
                  LOG.infof(
                      "write-back of %s revision %s: %s %s",
                      request.rollout(), request.hash(), outcome.phase, outcome.message);
                  return outcome;
                },
                threads));
  }

  /**
   * The write-backs of a rollout that ended, by revision, until status records them.
   *
   * @param recorded the revisions whose write-back status records as ended: forgotten here
   */
  public Map<String, GitWriteBackStatus> ended(String rollout, Collection<String> recorded) {
    writes
        .entrySet()
        .removeIf(
            e ->
                e.getKey().rollout().equals(rollout)
                    && e.getValue().isDone()
                    && recorded.contains(e.getKey().hash()));
    var ended = new HashMap<String, GitWriteBackStatus>();
    writes.forEach(
        (key, write) -> {
          if (key.rollout().equals(rollout) && write.isDone()) {
            ended.put(key.hash(), write.join());
          }
        });
    return ended;
  }

  /** A write-back that cannot be made, recorded as it would be had it been tried. */
  public void ended(String rollout, String hash, GitWriteBackStatus outcome) {
    writes.putIfAbsent(new Key(rollout, hash), CompletableFuture.completedFuture(outcome));
  }

  private GitWriteBackStatus safely(RevertRequest request) {
    try {
      return writer.apply(request);
    } catch (RuntimeException e) {
      // A bug must not leave the revision pending for ever; the text is scrubbed like git's.
      return GitWriteBackStatus.of(
          GitWriteBackStatus.Phase.Failed,
          "the write-back failed: "
              + e.getClass().getSimpleName()
              + ": "
              + Scrubbed.of(e.getMessage(), request.credentials()),
          java.time.Instant.now().toString());
    }
  }

  /** Forgets the write-backs of a deleted rollout; one under way ends unrecorded. */
  public void forget(String rollout) {
    writes.keySet().removeIf(k -> k.rollout().equals(rollout));
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
