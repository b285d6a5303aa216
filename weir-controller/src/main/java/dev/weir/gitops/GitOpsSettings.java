package dev.weir.gitops;

import dev.weir.analysis.AllowedAddresses;
import java.time.Duration;
import java.util.List;

/**
 * The operator's settings of git write-back: the repository addresses credentials may be sent to
 * ({@code weir.gitops.allowed-addresses}, URL prefixes read as Prometheus addresses are), and how
 * long one git request may take.
 */
public record GitOpsSettings(AllowedAddresses allowed, Duration timeout) {

  public static GitOpsSettings defaults() {
    return new GitOpsSettings(AllowedAddresses.of(List.of()), Duration.ofSeconds(30));
  }
}
