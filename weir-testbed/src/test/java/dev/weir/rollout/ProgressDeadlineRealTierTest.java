package dev.weir.rollout;

import dev.weir.testing.FieldHolder;
import dev.weir.testing.MutatingWebhook;
import dev.weir.testing.RealControlPlane;
import dev.weir.testing.RealTier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The deadline stories on a real kube-apiserver, etcd and kube-controller-manager, Weir under the
 * chart's ClusterRole; what holds the fields is a real mutating admission webhook.
 */
class ProgressDeadlineRealTierTest extends ProgressDeadlineStories {

  static MutatingWebhook webhook;

  ProgressDeadlineRealTierTest() {
    super(new RealTier());
  }

  @BeforeAll
  static void startWebhook() {
    webhook = MutatingWebhook.start(RealControlPlane.shared().admin());
  }

  @AfterAll
  static void stopWebhook() {
    if (webhook != null) {
      webhook.close();
    }
  }

  /** Each story starts from an empty `shop`, whatever the previous one (or test class) left. */
  @BeforeEach
  void emptyShop() {
    RealControlPlane.shared().clean("shop");
  }

  @Override
  FieldHolder holder() {
    return webhook;
  }
}
