package dev.weir.rollout;

import dev.weir.testing.FieldHolder;
import dev.weir.testing.MockAdmission;
import dev.weir.testing.MockTier;

/** The deadline stories on the fabric8 mock API server, which amends held writes itself. */
class ProgressDeadlineMockTierTest extends ProgressDeadlineStories {

  private static final MockAdmission ADMISSION = new MockAdmission();

  ProgressDeadlineMockTierTest() {
    super(new MockTier(ADMISSION));
  }

  @Override
  FieldHolder holder() {
    return ADMISSION;
  }
}
