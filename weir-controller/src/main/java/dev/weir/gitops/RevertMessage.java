package dev.weir.gitops;

import java.util.List;

/**
 * The commit message of a write-back: what was restored and why, for the reviewer of the history,
 * and two trailers by which Weir finds its own commit again after a restart instead of writing a
 * second one.
 */
final class RevertMessage {

  static final String ROLLOUT_TRAILER = "Weir-Rollout: ";
  static final String REVISION_TRAILER = "Weir-Aborted-Revision: ";

  private RevertMessage() {}

  static String of(RevertRequest request) {
    String name = request.rollout().substring(request.rollout().indexOf('/') + 1);
    return "Revert "
        + name
        + " to "
        + request.stableValue()
        + ": revision "
        + request.hash()
        + " aborted\n\n"
        + "Weir aborted revision "
        + request.hash()
        + " of Rollout "
        + request.rollout()
        + " ("
        + request.abortedValue()
        + "): "
        + request.cause()
        + ".\n\n"
        + "This restores the stable revision's value of "
        + request.field()
        + " in "
        + request.path()
        + ", so that git declares what runs.\n\n"
        + ROLLOUT_TRAILER
        + request.rollout()
        + "\n"
        + REVISION_TRAILER
        + request.hash()
        + "\n";
  }

  /** Whether a commit message is of this request's write-back. */
  static boolean isOf(String message, RevertRequest request) {
    List<String> lines = message.lines().toList();
    return lines.contains(ROLLOUT_TRAILER + request.rollout())
        && lines.contains(REVISION_TRAILER + request.hash());
  }
}
