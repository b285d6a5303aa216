package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What became of the write-back of one aborted revision to git. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GitWriteBackStatus {

  /** The phases of a write-back. */
  public enum Phase {
    /** Decided, not yet done: the write goes on off the reconcile. */
    Pending,
    /** The revert was pushed: commit (and, in branch mode, branch) name it. */
    Committed,
    /** Nothing was written: the field no longer held the aborted value. */
    Unchanged,
    /** The write failed; message says why. Not tried again for this revision. */
    Failed
  }

  @JsonPropertyDescription("Pending, Committed, Unchanged or Failed.")
  public Phase phase;

  @JsonPropertyDescription("The commit that restores the stable value.")
  public String commit;

  @JsonPropertyDescription("The branch it was pushed to.")
  public String branch;

  @JsonPropertyDescription("What happened, for humans; never a credential.")
  public String message;

  @JsonPropertyDescription("When the write-back was decided, or ended.")
  public String at;

  public static GitWriteBackStatus of(Phase phase, String message, String at) {
    var status = new GitWriteBackStatus();
    status.phase = phase;
    status.message = message;
    status.at = at;
    return status;
  }

  public boolean pending() {
    return phase == Phase.Pending;
  }
}
