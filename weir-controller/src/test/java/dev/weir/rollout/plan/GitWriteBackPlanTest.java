package dev.weir.rollout.plan;

import static dev.weir.rollout.plan.PlannerFixtures.NOW;
import static dev.weir.rollout.plan.PlannerFixtures.V1;
import static dev.weir.rollout.plan.PlannerFixtures.V2;
import static dev.weir.rollout.plan.PlannerFixtures.V3;
import static dev.weir.rollout.plan.PlannerFixtures.canaryV2At;
import static dev.weir.rollout.plan.PlannerFixtures.classicSpec;
import static dev.weir.rollout.plan.PlannerFixtures.plan;
import static dev.weir.rollout.plan.PlannerFixtures.releasingV2;
import static dev.weir.rollout.plan.PlannerFixtures.revision;
import static dev.weir.rollout.plan.PlannerFixtures.status;
import static dev.weir.rollout.plan.PlannerFixtures.steadyOnV1;
import static dev.weir.rollout.plan.PlannerFixtures.trafficBackOnV1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.GitWriteBack;
import dev.weir.api.v1alpha1.GitWriteBackStatus;
import dev.weir.api.v1alpha1.GitWriteBackStatus.Phase;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.api.v1alpha1.SpecProblem;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * When an abort is written back to git: once per aborted revision, decided by the abort of the
 * revision git declares, recorded in status so that a restart never writes it twice, and said by an
 * Event when it ends. The spec is examples/canary-istio with spec.gitWriteBack; v1 is stable.
 */
class GitWriteBackPlanTest {

  static final Instant ABORTED = NOW.minusSeconds(600);

  private static RolloutSpec writingBack() {
    var spec = classicSpec();
    spec.gitWriteBack = new GitWriteBack();
    spec.gitWriteBack.repoURL = "https://git.example/shop/config.git";
    spec.gitWriteBack.path = "apps/checkout/rollout.yaml";
    return spec;
  }

  /** v2 aborted at 10 % on request, this reconcile. */
  private static Plan abortOfV2(RolloutSpec spec) {
    return plan(
        spec,
        releasingV2().atStep(2).weight(10).abortRequested().build(),
        canaryV2At(10).revisions(revision(V2).replicas(1).available(1)).build());
  }

  private static Action.WriteBack writeBackOfV2(RolloutStatus status) {
    return new Action.WriteBack(
        V2, status.abortedRevisions.get(0).images, V1, status.abortedRevisions.get(0).cause());
  }

  @Test
  void theAbortOfTheDeclaredRevisionMakesItsWriteBackPendingAndAsksForIt() {
    var plan = abortOfV2(writingBack());

    var recorded = plan.status().abortedRevisions.get(0);
    assertThat(recorded.writeBack.phase).isEqualTo(Phase.Pending);
    assertThat(recorded.writeBack.message)
        .isEqualTo(
            "restoring the stable revision's image in apps/checkout/rollout.yaml of"
                + " https://git.example/shop/config.git");
    assertThat(plan.actions()).contains(writeBackOfV2(plan.status()));
    assertThat(plan.requeueAfter())
        .hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(1)));
    assertThat(plan.status().abortedRevisions.get(0).cause()).startsWith("Aborted on request");
  }

  @Test
  void withoutGitWriteBackNothingIsWritten() {
    var plan = abortOfV2(classicSpec());

    assertThat(plan.status().abortedRevisions.get(0).writeBack).isNull();
    assertThat(plan.actions()).noneMatch(a -> a instanceof Action.WriteBack);
  }

  @Test
  void whilePendingItIsAskedForAgainAndNothingIsSaid() {
    var pending = abortOfV2(writingBack()).status();

    var plan = plan(writingBack(), pending, trafficBackOnV1().build());

    assertThat(plan.actions()).contains(writeBackOfV2(pending));
    assertThat(plan.events()).isEmpty();
    assertThat(plan.status().abortedRevisions.get(0).writeBack.phase).isEqualTo(Phase.Pending);
  }

  @Test
  void theOutcomeIsRecordedOnceWithAnEventAndNeverAskedForAgain() {
    var pending = abortOfV2(writingBack()).status();
    var committed =
        GitWriteBackStatus.of(Phase.Committed, "commit 3f2a1b0 pushed to main", NOW.toString());
    committed.commit = "3f2a1b0";
    committed.branch = "main";

    var plan =
        plan(writingBack(), pending, trafficBackOnV1().writeBackEnded(V2, committed).build());

    var writeBack = plan.status().abortedRevisions.get(0).writeBack;
    assertThat(writeBack.phase).isEqualTo(Phase.Committed);
    assertThat(writeBack.commit).isEqualTo("3f2a1b0");
    assertThat(plan.actions()).noneMatch(a -> a instanceof Action.WriteBack);
    assertThat(plan.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo(EventReason.GitWriteBackCommitted);
              assertThat(e.message())
                  .isEqualTo("write-back of aborted revision v2: commit 3f2a1b0 pushed to main");
            });

    var after =
        plan(writingBack(), plan.status(), trafficBackOnV1().writeBackEnded(V2, committed).build());
    assertThat(after.events()).isEmpty();
    assertThat(after.actions()).noneMatch(a -> a instanceof Action.WriteBack);
  }

  @Test
  void aFailureIsAWarningAndIsNotTriedAgain() {
    var pending = abortOfV2(writingBack()).status();
    var failed =
        GitWriteBackStatus.of(
            Phase.Failed, "authentication failed (Secret git-creds)", NOW.toString());

    var plan = plan(writingBack(), pending, trafficBackOnV1().writeBackEnded(V2, failed).build());

    assertThat(plan.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo(EventReason.GitWriteBackFailed);
              assertThat(e.reason().warning()).isTrue();
            });
    assertThat(plan.actions()).noneMatch(a -> a instanceof Action.WriteBack);
  }

  @Test
  void theRevisionDeclaredAgainAndHeldIsNotWrittenAgain() {
    var given =
        status()
            .steadyOn(V1)
            .atStep(6)
            .weight(0)
            .phase(RolloutPhase.Healthy)
            .abortedBefore(V2, ABORTED)
            .build();
    given.abortedRevisions.get(0).writeBack =
        GitWriteBackStatus.of(Phase.Committed, "commit 3f2a1b0 pushed to main", ABORTED.toString());

    var plan = plan(writingBack(), given, trafficBackOnV1().build());

    assertThat(plan.status().abort).isTrue();
    assertThat(plan.actions()).noneMatch(a -> a instanceof Action.WriteBack);
    assertThat(plan.status().abortedRevisions.get(0).writeBack.phase).isEqualTo(Phase.Committed);
  }

  @Test
  void anAbortRecordedBeforeWriteBackWasTurnedOnIsNotWrittenOnceGitMovedOn() {
    var given =
        status()
            .steadyOn(V1)
            .atStep(6)
            .weight(0)
            .phase(RolloutPhase.Healthy)
            .abortedBefore(V2, ABORTED)
            .build();

    var plan = plan(writingBack(), given, steadyOnV1().build());

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.status().abortedRevisions.get(0).writeBack).isNull();
  }

  @Test
  void aPendingWriteBackOfARevisionSupersededSinceIsStillAskedFor() {
    var pending = abortOfV2(writingBack()).status();

    var plan = plan(writingBack(), pending, trafficBackOnV1().declared(V3).build());

    assertThat(plan.actions()).contains(writeBackOfV2(pending));
  }

  @Test
  void whatTheControllerFindsWrongWithItIsAnInvalidSpecThatMovesNothing() {
    var problem =
        new SpecProblem(
            "spec.gitWriteBack.credentialsSecret",
            "Secret shop/git-creds does not exist or has not opted in");

    var plan =
        plan(
            writingBack(),
            releasingV2().atStep(2).weight(10).abortRequested().build(),
            canaryV2At(10)
                .revisions(revision(V2).replicas(1).available(1))
                .gitProblem(problem)
                .build());

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.status().message).contains("spec.gitWriteBack.credentialsSecret");
    assertThat(plan.events()).extracting(e -> e.reason()).containsExactly(EventReason.InvalidSpec);
  }
}
