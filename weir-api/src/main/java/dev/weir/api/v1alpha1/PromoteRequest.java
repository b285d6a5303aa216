package dev.weir.api.v1alpha1;

/** What a user asks for with `kubectl weir promote [--full]`. */
public enum PromoteRequest {
  Step,
  Full
}
