package dev.weir.rollout.plan;

import dev.weir.api.v1alpha1.BlueGreenStatus;
import dev.weir.api.v1alpha1.PromoteRequest;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.traffic.Side;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * A blue-green release of a new revision, from preview to promotion:
 *
 * <pre>
 *   preview up (previewReplicaCount) ─▶ pre-promotion analysis ─▶ approval (auto, after
 *   autoPromotionSeconds, or a promote) ─▶ preview at full size ─▶ SWITCH ─▶ post-promotion
 *   analysis ─▶ promoted: the old revision scales down after scaleDownDelaySeconds
 * </pre>
 *
 * The switch moves the active Service's selector to the new revision — or, with Istio, the route's
 * weights from the active to the preview Service, 0/100, read back — only once the new side is
 * fully available. Until the post-promotion analysis passes, the old revision keeps all its pods
 * and stays stable: a failure switches back at once (see {@link AbortedState}), nothing to scale
 * up.
 */
final class BlueGreenState implements StateHandler {

  static final String PAUSE = "BlueGreenPause";

  @Override
  public void plan(PlanContext ctx) {
    var status = ctx.status;
    if (status.blueGreen == null) {
      status.blueGreen = new BlueGreenStatus();
    }
    BlueGreenStatus state = status.blueGreen;
    String stable = status.stableRS;
    String preview = status.currentPodHash;
    ctx.scaleTo(stable, ctx.replicas());
    boolean switched = preview.equals(state.activeSelector);
    if (!switched && !preview(ctx, state, stable, preview)) {
      return;
    }
    if (!switched) {
      // The switch is recorded before it is verified, so that the next pass keeps making it
      // rather than undoing it.
      state.activeSelector = preview;
      ctx.progressed();
      ctx.event(
          RolloutEvent.of(
              EventReason.Switched,
              "active side switched to " + preview + "; " + stable + " kept up"));
    }
    // Switched: hold the switch (a GitOps sync may have undone it) while the new side is judged.
    if (!ctx.scaleTo(preview, ctx.replicas()) && ctx.available(preview) < ctx.replicas()) {
      ctx.waitForPodsOrAbort(progress(ctx, preview, ctx.replicas()));
      return;
    }
    if (!hold(ctx, preview)) {
      ctx.waitForOrAbort(
          "Switching",
          "restoring the switch to "
              + preview
              + ": "
              + (ctx.routed() ? ctx.readBack() : ctx.selection(Side.STABLE)));
      return;
    }
    if (ctx.blueGreen.postPromotionAnalysis != null
        && !Boolean.TRUE.equals(state.postPromotionPassed)) {
      if (!RolloutAnalyses.passed(ctx, AnalysisSite.POST_PROMOTION, "post-promotion analysis")) {
        return;
      }
      state.postPromotionPassed = true;
    }
    // Promoted. With Istio the active Service now follows the weights before they go back.
    if (ctx.routed() && !ctx.pin(Side.STABLE, preview)) {
      ctx.waitForOrAbort(
          "Promoting",
          "pointing the active side at " + preview + ": " + ctx.selection(Side.STABLE));
      return;
    }
    ctx.scheduleScaleDown(stable, ctx.scaleDownDelaySeconds());
    ctx.limitDelayedScaleDowns(ctx.blueGreen.scaleDownDelayRevisionLimit, Set.of(preview));
    status.stableRS = preview;
    ctx.event(
        RolloutEvent.of(
            EventReason.Promoted,
            "revision " + preview + " promoted to active, replacing " + stable));
    ctx.outcome(RolloutPhase.Progressing, "Promoted", "revision " + preview + " promoted");
  }

  /**
   * A promote of a blue-green release: it approves the switch, accepts a held pre- or
   * post-promotion verdict, and with Full skips the pre-promotion analysis.
   */
  static void approve(PlanContext ctx) {
    var status = ctx.status;
    if (status.blueGreen == null) {
      status.blueGreen = new BlueGreenStatus();
    }
    var held = status.stepAnalysisRun;
    if (held != null && held.name.endsWith("-" + AnalysisSite.POST_PROMOTION.label())) {
      status.blueGreen.postPromotionPassed = true;
    }
    if (held != null && held.name.endsWith("-" + AnalysisSite.PRE_PROMOTION.label())
        || status.promote == PromoteRequest.Full) {
      status.blueGreen.prePromotionPassed = true;
    }
    status.stepAnalysisRun = null;
    status.blueGreen.promotionApproved = true;
    ctx.unpause(BlueGreenState.PAUSE);
    ctx.event(RolloutEvent.of(EventReason.PromotionApproved, "the switch was approved on request"));
  }

  /**
   * Everything before the switch; true when the switch may begin. The active side stays on stable,
   * the weight on the active Service, the preview side on the new revision.
   */
  private boolean preview(PlanContext ctx, BlueGreenStatus state, String stable, String preview) {
    var blueGreen = ctx.blueGreen;
    ctx.status.currentWeight = 0;
    ctx.pin(Side.STABLE, stable);
    if (!ctx.holdWeight(0)) {
      ctx.waitForOrAbort("Restoring", "all traffic back on " + stable + ": " + ctx.readBack());
      return false;
    }
    ctx.retireAllBut(Set.of(stable, preview), ctx.abortScaleDownDelaySeconds());
    boolean prePassed =
        Boolean.TRUE.equals(state.prePromotionPassed) || blueGreen.prePromotionAnalysis == null;
    boolean approved = Boolean.TRUE.equals(state.promotionApproved);
    int size =
        prePassed && approved
            ? ctx.replicas()
            : blueGreen.previewReplicaCount == null
                ? ctx.replicas()
                : blueGreen.previewReplicaCount;
    boolean up = ctx.scaleTo(preview, size);
    // The preview side moves to the new revision once it has its pods, not before: the smoke
    // tests' requests would find no pod to answer them, fail, and count against the revision in
    // its pre-promotion analysis. Until then it shows the stable revision.
    if (!up && !ctx.selects(Side.CANARY, preview)) {
      ctx.pin(Side.CANARY, stable);
    } else if (!ctx.pin(Side.CANARY, preview)) {
      ctx.waitForOrAbort(
          "PinningPreview",
          "pointing the preview side at " + preview + ": " + ctx.selection(Side.CANARY));
      return false;
    }
    if (!up) {
      ctx.waitForPodsOrAbort(progress(ctx, preview, size));
      return false;
    }
    if (state.previewReadyAt == null) {
      state.previewReadyAt = ctx.now().truncatedTo(ChronoUnit.SECONDS).toString();
      ctx.event(
          RolloutEvent.of(EventReason.PreviewReady, "revision " + preview + " is up for preview"));
    }
    if (!prePassed) {
      if (!RolloutAnalyses.passed(ctx, AnalysisSite.PRE_PROMOTION, "pre-promotion analysis")) {
        return false;
      }
      state.prePromotionPassed = true;
    }
    if (SteppingState.heldBySpecPaused(ctx)) {
      return false;
    }
    if (!approved && !autoApproved(ctx, state)) {
      return false;
    }
    state.promotionApproved = true;
    ctx.unpause(PAUSE);
    if (!ctx.scaleTo(preview, ctx.replicas())) {
      ctx.waitForPodsOrAbort(progress(ctx, preview, ctx.replicas()));
      return false;
    }
    return true;
  }

  /** Whether the switch may go ahead without a promote; pauses the release when not. */
  private boolean autoApproved(PlanContext ctx, BlueGreenStatus state) {
    var blueGreen = ctx.blueGreen;
    if (Boolean.FALSE.equals(blueGreen.autoPromotionEnabled)) {
      ctx.awaitPromotion(PAUSE, "preview ready: waiting for promote");
      return false;
    }
    if (blueGreen.autoPromotionSeconds != null) {
      Instant at = Instant.parse(state.previewReadyAt).plusSeconds(blueGreen.autoPromotionSeconds);
      if (ctx.now().isBefore(at)) {
        ctx.pauseFor(PAUSE);
        ctx.requeueIn(Duration.between(ctx.now(), at));
        ctx.outcome(
            RolloutPhase.Paused, PAUSE, "preview ready: switching at " + at + " or on promote");
        return false;
      }
    }
    return true;
  }

  /** The switch itself, or holding it: weights 0/100 with Istio, the active selector without. */
  private static boolean hold(PlanContext ctx, String preview) {
    if (ctx.routed()) {
      ctx.status.currentWeight = 100;
      return ctx.routeTo(100);
    }
    return ctx.pin(Side.STABLE, preview);
  }

  private static String progress(PlanContext ctx, String hash, int size) {
    return "waiting for preview pods: " + ctx.available(hash) + "/" + size + " available";
  }
}
