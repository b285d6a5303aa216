package dev.weir.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.cli.CliException;
import dev.weir.cli.command.UndoCommand.Revision;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The revision {@code kubectl weir undo} goes back to: the one asked for, else the newest older
 * than the current one whose release was not aborted (Weir would only hold that one on stable).
 */
class UndoTargetTest {

  private static Revision revision(long number, boolean aborted) {
    return new Revision(number, "h" + number, null, aborted);
  }

  @Test
  void withoutARevisionAskedForItIsTheOneBeforeTheCurrent() {
    var revisions = List.of(revision(3, false), revision(2, false), revision(1, false));

    assertThat(UndoCommand.target(revisions, "h3", 0, "checkout").number()).isEqualTo(2);
  }

  @Test
  void anAbortedRevisionIsPassedOver() {
    var revisions = List.of(revision(3, false), revision(2, true), revision(1, false));

    assertThat(UndoCommand.target(revisions, "h3", 0, "checkout").number()).isEqualTo(1);
  }

  @Test
  void anAbortedRevisionAskedForIsTheTarget() {
    var revisions = List.of(revision(3, false), revision(2, true), revision(1, false));

    assertThat(UndoCommand.target(revisions, "h3", 2, "checkout").aborted()).isTrue();
  }

  @Test
  void onlyAbortedRevisionsBeforeTheCurrentIsNoHistory() {
    var revisions = List.of(revision(2, false), revision(1, true));

    assertThatThrownBy(() -> UndoCommand.target(revisions, "h2", 0, "checkout"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("no rollout history found");
  }
}
