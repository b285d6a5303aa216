package dev.weir.gitops;

import dev.weir.api.v1alpha1.GitWriteBackMode;
import java.util.Map;
import java.util.Optional;

/**
 * One write-back to make: in {@code path} of the repository's {@code branch}, the field that
 * declares the aborted revision's value goes back to the stable revision's.
 *
 * @param rollout the rollout, {@code namespace/name}
 * @param hash the aborted revision
 * @param repoURL the repository (http or https, no user info)
 * @param branch the branch the GitOps tool syncs from
 * @param path the file, from the repository's root
 * @param document what picks the file's document ({@link YamlField#find}); empty: the first
 * @param field the field's path in that document
 * @param abortedValue what the field declares for the aborted revision
 * @param stableValue what it declares for the stable one, written back
 * @param cause why the revision was aborted, as status says it
 * @param mode commit to {@code branch}, or to a branch of its own
 * @param credentials empty: the repository is written without authentication
 */
public record RevertRequest(
    String rollout,
    String hash,
    String repoURL,
    String branch,
    String path,
    Map<String, String> document,
    String field,
    String abortedValue,
    String stableValue,
    String cause,
    GitWriteBackMode mode,
    Optional<GitCredentials> credentials) {

  /** The branch of its own that {@link GitWriteBackMode#branch} pushes. */
  public String revertBranch() {
    return "weir/revert-" + rollout.substring(rollout.indexOf('/') + 1) + "-" + hash;
  }

  /** The same write-back of another field. */
  public RevertRequest withField(String field) {
    return new RevertRequest(
        rollout,
        hash,
        repoURL,
        branch,
        path,
        document,
        field,
        abortedValue,
        stableValue,
        cause,
        mode,
        credentials);
  }

  /** The same write-back with other credentials. */
  public RevertRequest withCredentials(Optional<GitCredentials> credentials) {
    return new RevertRequest(
        rollout,
        hash,
        repoURL,
        branch,
        path,
        document,
        field,
        abortedValue,
        stableValue,
        cause,
        mode,
        credentials);
  }

  /** The same write-back to another repository, in another mode. */
  public RevertRequest to(String repoURL, GitWriteBackMode mode) {
    return new RevertRequest(
        rollout,
        hash,
        repoURL,
        branch,
        path,
        document,
        field,
        abortedValue,
        stableValue,
        cause,
        mode,
        credentials);
  }

  /** The branch the commit is pushed to. */
  public String pushedTo() {
    return mode == GitWriteBackMode.branch ? revertBranch() : branch;
  }
}
