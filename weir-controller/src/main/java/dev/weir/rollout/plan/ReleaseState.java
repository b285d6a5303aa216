package dev.weir.rollout.plan;

/**
 * Where a release stands. The state is derived from status and spec on every pass, never stored:
 *
 * <pre>
 *                new template                 last step done
 *   STEADY ─────────────────────▶ STEPPING ─────────────────▶ PROMOTING ──▶ STEADY
 *     ▲  ◀── template back to stable ─┤ ▲                         │
 *     │                               │ │ retry (abort cleared)   │ abort
 *     │                         abort ▼ │                         ▼
 *     └──── template back to stable ── ABORTED ◀───────────────────┘
 * </pre>
 */
enum ReleaseState {
  /** The declared revision is the stable one: keep it whole and all traffic on it. */
  STEADY,
  /** A new revision is being carried through the canary steps. */
  STEPPING,
  /** All steps are done: move all traffic to the new revision and make it stable. */
  PROMOTING,
  /** A new revision of a blue-green rollout: previewed, judged, switched to, judged again. */
  BLUE_GREEN,
  /** The release was aborted: all traffic on stable, the canary scaled down. */
  ABORTED
}
