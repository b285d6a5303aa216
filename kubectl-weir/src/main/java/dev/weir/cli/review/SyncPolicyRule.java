package dev.weir.cli.review;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A GitOps tool given more power over the cluster: Argo CD's automated {@code prune} and {@code
 * selfHeal}, Flux's {@code prune} and {@code force}. An Application or Kustomization new in the
 * pull request counts as turning them on.
 */
final class SyncPolicyRule implements RiskRule {

  private static final String FLUX_GROUP = "kustomize.toolkit.fluxcd.io";

  @Override
  public void check(Change change, Risks risks) {
    if (change.removed()) {
      return;
    }
    if (change.is(RolloutKinds.ARGO_GROUP, "Application")) {
      checkArgo(change, "spec.syncPolicy.automated", risks, "spec", "syncPolicy", "automated");
    } else if (change.is(RolloutKinds.ARGO_GROUP, "ApplicationSet")) {
      checkArgo(
          change,
          "spec.template.spec.syncPolicy.automated",
          risks,
          "spec",
          "template",
          "spec",
          "syncPolicy",
          "automated");
    } else if (change.is(FLUX_GROUP, "Kustomization")) {
      if (turnedOn(change.before("spec", "prune"), change.after("spec", "prune"))) {
        risks.add(
            Severity.WARNING,
            change,
            "spec.prune",
            "prune is turned on: Flux deletes from the cluster every object that leaves this"
                + " path, a Rollout and its pods included");
      }
      if (turnedOn(change.before("spec", "force"), change.after("spec", "force"))) {
        risks.add(
            Severity.WARNING,
            change,
            "spec.force",
            "force is turned on: Flux deletes and recreates an object whose immutable fields"
                + " changed, with its pods");
      }
    }
  }

  private static void checkArgo(Change change, String path, Risks risks, String... fields) {
    JsonNode before = change.before(fields);
    JsonNode after = change.after(fields);
    if (turnedOn(before.path("prune"), after.path("prune"))) {
      risks.add(
          Severity.WARNING,
          change,
          path + ".prune",
          "automated prune is turned on: Argo CD deletes from the cluster every object that"
              + " leaves git, a Rollout and its pods included");
    }
    if (turnedOn(before.path("selfHeal"), after.path("selfHeal"))) {
      risks.add(
          Severity.WARNING,
          change,
          path + ".selfHeal",
          "automated selfHeal is turned on: Argo CD undoes any change made in the cluster,"
              + " a manual fix during an incident included");
    }
  }

  private static boolean turnedOn(JsonNode before, JsonNode after) {
    return !before.asBoolean(false) && after.asBoolean(false);
  }
}
