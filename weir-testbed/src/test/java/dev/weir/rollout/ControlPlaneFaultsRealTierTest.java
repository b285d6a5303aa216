package dev.weir.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.testing.RealControlPlane.Component;
import dev.weir.testing.RealTier;
import dev.weir.testing.ReleaseRecorder.Outcome;
import dev.weir.testing.RunningWeir;
import dev.weir.testing.TcpRelay;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A release judged by the real Prometheus while the real control plane fails under it: the API
 * server killed and started again, etcd stopped for 20 s, every connection of Weir's cut. Weir's
 * clients reconnect to the same addresses; the release goes on from where its status says, and ends
 * Healthy on v2 with no weight gone backwards, nothing promoted unjudged and no step done twice.
 */
class ControlPlaneFaultsRealTierTest extends FaultStories {

  /** Weir's connections to the API server, when a story cuts them. */
  private TcpRelay relay;

  ControlPlaneFaultsRealTierTest() {
    super(new RealTier());
  }

  @Override
  RunningWeir startWeir(Optional<String> prometheusAddress, int metricsPort) {
    if (relay == null) {
      return super.startWeir(prometheusAddress, metricsPort);
    }
    var client = cluster().operatorVia(relay.address("https"));
    return RunningWeir.start(client, prometheusAddress, metricsPort);
  }

  @Test
  void theApiServerKilledAtTwentyPercentIsStartedAgainAndTheReleaseFinishes() {
    givenStableV1(BUSY);
    String v2 = whenV2IsReleasedAndRecorded(Map.of());
    checkout.awaitStatus("v2 taking 20 %", s -> Integer.valueOf(20).equals(s.verifiedWeight));

    cluster().kill(Component.API_SERVER);
    // Down across the end of the 5 s pause: Weir's timed reconcile finds nobody there.
    await("the API server down for 6 s")
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(10))
        .until(() -> !answers(client().getMasterUrl().toString()));
    cluster().restart();

    thenTheReleaseEnds(v2, Outcome.PROMOTED);
  }

  @Test
  void etcdStoppedForTwentySecondsDuringAnAnalysisStepHoldsTheReleaseWhichThenFinishes() {
    givenStableV1(BUSY);
    String v2 = whenV2IsReleasedAndRecorded(Map.of());
    checkout.awaitStatus(
        "the analysis of step 3 under way",
        s -> s.stepAnalysisRun != null && s.currentStepIndex == 2);

    cluster().pause(Component.ETCD);
    await("etcd stopped for 20 s")
        .during(Duration.ofSeconds(20))
        .atMost(Duration.ofSeconds(25))
        .until(() -> cluster().paused(Component.ETCD));
    cluster().resume(Component.ETCD);

    thenTheReleaseEnds(v2, Outcome.PROMOTED);
  }

  @Test
  void everyConnectionOfWeirCutAtEachStepIsReopenedAndTheReleaseFinishes() {
    relay = TcpRelay.to(URI.create(cluster().admin().getMasterUrl().toString()));
    closeables.add(relay);
    givenStableV1(BUSY);
    String v2 = whenV2IsReleasedAndRecorded(Map.of());

    checkout.awaitStatus("v2 taking 20 %", s -> Integer.valueOf(20).equals(s.verifiedWeight));
    int atTwenty = relay.cutAll();
    checkout.awaitStatus("the analysis of step 3 under way", s -> s.stepAnalysisRun != null);
    int atAnalysis = relay.cutAll();
    checkout.awaitStatus("v2 taking 50 %", s -> Integer.valueOf(50).equals(s.verifiedWeight));
    int atFifty = relay.cutAll();

    thenTheReleaseEnds(v2, Outcome.PROMOTED);
    assertThat(atTwenty + atAnalysis + atFifty)
        .as("connections cut, watches among them")
        .isGreaterThanOrEqualTo(3);
  }

  /** Whether anything accepts a connection at the server's address. */
  private static boolean answers(String server) {
    var uri = URI.create(server);
    try (var socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
