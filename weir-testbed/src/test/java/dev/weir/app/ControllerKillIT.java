package dev.weir.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.bench.ControllerKillCampaign;
import org.junit.jupiter.api.Test;

/**
 * The packaged controller killed with SIGKILL at random moments of multi-step canaries with
 * analysis ({@link ControllerKillCampaign}): every release keeps the four invariants of the fault
 * stories. Three runs here; {@code -Dweir.faults.runs=N} runs more and {@code -Dweir.faults.seed=S}
 * replays (the seed of each run is printed), and {@code bench/controller-kills} runs the campaign
 * of thirty and prints its counts.
 */
class ControllerKillIT {

  @Test
  void everyReleaseKeepsItsInvariantsWhateverMomentTheControllerIsKilledAt() throws Exception {
    int runs = Integer.getInteger(ControllerKillCampaign.RUNS_PROPERTY, 3);
    long seed = Long.getLong(ControllerKillCampaign.SEED_PROPERTY, System.currentTimeMillis());

    var report = ControllerKillCampaign.run(runs, seed, System.out);

    System.out.print(report.summary());
    assertThat(report.failed()).as(report.summary()).isZero();
  }
}
