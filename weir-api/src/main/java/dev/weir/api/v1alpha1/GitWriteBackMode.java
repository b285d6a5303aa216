package dev.weir.api.v1alpha1;

/** How a write-back reaches git. The constants are the values a user writes. */
public enum GitWriteBackMode {
  /** A commit pushed to the branch the GitOps tool syncs: the revert is synced at once. */
  commit,
  /** A commit pushed to a branch of its own, for a pull request to the synced branch. */
  branch
}
