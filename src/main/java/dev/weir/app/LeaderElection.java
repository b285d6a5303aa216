package dev.weir.app;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election among the controller's replicas, through a coordination.k8s.io Lease: only the
 * leader reconciles, and a replica that loses its lease stops so that it restarts as a follower.
 * Off unless {@code weir.leader-election.enabled} (env WEIR_LEADER_ELECTION_ENABLED) says so; the
 * chart turns it on.
 */
public class LeaderElection {

  @ConfigProperty(name = "weir.leader-election.enabled", defaultValue = "false")
  boolean enabled;

  @ConfigProperty(name = "weir.leader-election.lease-name", defaultValue = "weir-controller")
  String leaseName;

  /** The Lease's namespace; by default the namespace of the controller's own client. */
  @ConfigProperty(name = "weir.leader-election.namespace")
  Optional<String> namespace;

  @ConfigProperty(name = "weir.leader-election.lease-duration", defaultValue = "15s")
  Duration leaseDuration;

  @ConfigProperty(name = "weir.leader-election.renew-deadline", defaultValue = "10s")
  Duration renewDeadline;

  @ConfigProperty(name = "weir.leader-election.retry-period", defaultValue = "2s")
  Duration retryPeriod;

  /** Identity in the Lease: the pod's name (env HOSTNAME in a pod). */
  @ConfigProperty(name = "weir.leader-election.identity")
  Optional<String> identity;

  /** The operator framework elects a leader when this is not null. */
  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection() {
    if (!enabled) {
      return null;
    }
    return new LeaderElectionConfiguration(
        leaseName,
        namespace.orElse(null),
        leaseDuration,
        renewDeadline,
        retryPeriod,
        identity.orElse(null),
        null,
        true);
  }
}
