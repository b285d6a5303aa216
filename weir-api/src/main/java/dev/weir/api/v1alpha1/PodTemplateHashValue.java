package dev.weir.api.v1alpha1;

/** Which revision's pod-template hash an argument takes. */
public enum PodTemplateHashValue {
  Stable,
  Latest
}
