package dev.weir.gitops;

import dev.weir.api.v1alpha1.GitWriteBackStatus;
import dev.weir.api.v1alpha1.GitWriteBackStatus.Phase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Makes one write-back with JGit: a shallow clone of the branch into a folder of its own, the one
 * field edited ({@link RevertEdit}), a commit naming the rollout, the revision and the failed
 * measurement ({@link RevertMessage}), a push. A push refused because the branch moved is made
 * again on the new head, up to {@link #ATTEMPTS} times. A commit of the same write-back found among
 * the branch's last commits (a restart after the push, before status recorded it) is reported, not
 * made again. Blocking: it runs on the {@link WriteBackQueue}'s threads, never on a reconcile's.
 * Nothing it returns holds a credential ({@link Scrubbed}).
 */
public final class RevertWriter {

  static final int ATTEMPTS = 5;

  /** How far back the branch's history is looked at for an earlier push of the same write-back. */
  static final int DEPTH = 20;

  static final PersonIdent WEIR = new PersonIdent("Weir", "weir@weir.dev");

  private final Duration timeout;
  private final Clock clock;
  private final Runnable beforePush;

  public RevertWriter(Duration timeout, Clock clock) {
    this(timeout, clock, () -> {});
  }

  /** A writer that runs {@code beforePush} between its commit and its push: a test's race. */
  RevertWriter(Duration timeout, Clock clock, Runnable beforePush) {
    this.timeout = timeout;
    this.clock = clock;
    this.beforePush = beforePush;
  }

  public GitWriteBackStatus write(RevertRequest request) {
    try {
      for (int attempt = 1; ; attempt++) {
        var outcome = attempt(request);
        if (outcome.isPresent()) {
          return outcome.get();
        }
        if (attempt == ATTEMPTS) {
          return ended(
              Phase.Failed,
              "the push to "
                  + request.pushedTo()
                  + " was refused "
                  + ATTEMPTS
                  + " times because the branch moved each time; not tried again");
        }
      }
    } catch (TransportException e) {
      return ended(Phase.Failed, transportFailure(request, e));
    } catch (GitAPIException | IOException | UncheckedIOException | IllegalStateException e) {
      return ended(
          Phase.Failed,
          "git " + request.repoURL() + ": " + Scrubbed.of(e.getMessage(), request.credentials()));
    }
  }

  /** One clone, edit, commit and push; empty when the push was refused because the branch moved. */
  private Optional<GitWriteBackStatus> attempt(RevertRequest request)
      throws GitAPIException, IOException {
    Path dir = Files.createTempDirectory("weir-write-back-");
    try (Git git =
        Git.cloneRepository()
            .setURI(request.repoURL())
            .setDirectory(dir.toFile())
            .setBranch(request.branch())
            .setBranchesToClone(List.of(Constants.R_HEADS + request.branch()))
            .setDepth(DEPTH)
            .setCredentialsProvider(credentials(request))
            .setTimeout(seconds())
            .call()) {
      var earlier = earlierPush(git, request);
      if (earlier.isPresent()) {
        return earlier;
      }
      Path file = dir.resolve(request.path()).normalize();
      if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
        return Optional.of(
            ended(Phase.Failed, request.path() + " is not a file of branch " + request.branch()));
      }
      var edit = RevertEdit.of(Files.readString(file, StandardCharsets.UTF_8), request);
      if (edit instanceof RevertEdit.Unchanged unchanged) {
        return Optional.of(ended(Phase.Unchanged, unchanged.why()));
      }
      if (edit instanceof RevertEdit.NotFound notFound) {
        return Optional.of(ended(Phase.Failed, notFound.why()));
      }
      Files.writeString(file, ((RevertEdit.Restored) edit).text(), StandardCharsets.UTF_8);
      git.add().addFilepattern(request.path()).call();
      var ident = new PersonIdent(WEIR, clock.instant());
      RevCommit commit =
          git.commit()
              .setMessage(RevertMessage.of(request))
              .setAuthor(ident)
              .setCommitter(ident)
              .setSign(false)
              .call();
      beforePush.run();
      return push(git, request, commit);
    } finally {
      delete(dir);
    }
  }

  private Optional<GitWriteBackStatus> push(Git git, RevertRequest request, RevCommit commit)
      throws GitAPIException {
    var results =
        git.push()
            .setRemote(Constants.DEFAULT_REMOTE_NAME)
            .setRefSpecs(new RefSpec(commit.name() + ":" + Constants.R_HEADS + request.pushedTo()))
            .setCredentialsProvider(credentials(request))
            .setTimeout(seconds())
            .call();
    for (var result : results) {
      for (RemoteRefUpdate update : result.getRemoteUpdates()) {
        switch (update.getStatus()) {
          case OK, UP_TO_DATE -> {
            return Optional.of(committed(request, commit.name()));
          }
          case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
            return Optional.empty();
          }
          default -> {
            return Optional.of(
                ended(
                    Phase.Failed,
                    "the push to "
                        + request.pushedTo()
                        + " was refused ("
                        + update.getStatus()
                        + (update.getMessage() == null
                            ? ""
                            : ": " + Scrubbed.of(update.getMessage(), request.credentials()))
                        + ")"));
          }
        }
      }
    }
    return Optional.of(ended(Phase.Failed, "the push to " + request.pushedTo() + " said nothing"));
  }

  /**
   * This write-back's commit, pushed before: on the branch the clone holds, or in branch mode on
   * the revert branch, which is then fetched.
   */
  private Optional<GitWriteBackStatus> earlierPush(Git git, RevertRequest request)
      throws GitAPIException, IOException {
    String ref = Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + request.pushedTo();
    if (!request.pushedTo().equals(request.branch())) {
      boolean exists =
          git
              .lsRemote()
              .setHeads(true)
              .setCredentialsProvider(credentials(request))
              .setTimeout(seconds())
              .call()
              .stream()
              .anyMatch(r -> r.getName().equals(Constants.R_HEADS + request.pushedTo()));
      if (!exists) {
        return Optional.empty();
      }
      git.fetch()
          .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + request.pushedTo() + ":" + ref))
          .setDepth(DEPTH)
          .setCredentialsProvider(credentials(request))
          .setTimeout(seconds())
          .call();
    }
    var head = git.getRepository().resolve(ref);
    if (head == null) {
      return Optional.empty();
    }
    for (RevCommit commit : git.log().add(head).setMaxCount(DEPTH).call()) {
      if (RevertMessage.isOf(commit.getFullMessage(), request)) {
        return Optional.of(committed(request, commit.name()));
      }
    }
    return Optional.empty();
  }

  private GitWriteBackStatus committed(RevertRequest request, String sha) {
    var status =
        ended(
            Phase.Committed,
            "commit "
                + sha.substring(0, 12)
                + " pushed to "
                + request.pushedTo()
                + " restores "
                + request.field()
                + " in "
                + request.path()
                + " to "
                + request.stableValue());
    status.commit = sha;
    status.branch = request.pushedTo();
    return status;
  }

  private GitWriteBackStatus ended(Phase phase, String message) {
    return GitWriteBackStatus.of(phase, message, clock.instant().toString());
  }

  private String transportFailure(RevertRequest request, TransportException e) {
    // JGit starts its text with the URL, which the message names already.
    String said =
        Scrubbed.of(e.getMessage(), request.credentials()).replace(request.repoURL() + ": ", "");
    String why = said.toLowerCase(java.util.Locale.ROOT);
    if (why.contains("not authorized") || why.contains("authentication")) {
      return request.repoURL()
          + ": authentication failed"
          + (request.credentials().isPresent()
              ? " with the credentials of spec.gitWriteBack.credentialsSecret"
              : " (spec.gitWriteBack names no credentialsSecret)")
          + " ("
          + said
          + ")";
    }
    return request.repoURL() + ": " + said;
  }

  private static CredentialsProvider credentials(RevertRequest request) {
    return request
        .credentials()
        .<CredentialsProvider>map(
            c -> new UsernamePasswordCredentialsProvider(c.username(), c.password()))
        .orElse(null);
  }

  private int seconds() {
    return (int) Math.max(1, timeout.toSeconds());
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary folder left behind holds no credential: JGit keeps none on disk.
    }
  }
}
