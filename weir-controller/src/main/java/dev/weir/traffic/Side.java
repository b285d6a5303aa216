package dev.weir.traffic;

/** The two sides of a release: the stable revision and the canary. */
public enum Side {
  STABLE,
  CANARY
}
