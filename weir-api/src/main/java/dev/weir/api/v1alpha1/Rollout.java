package dev.weir.api.v1alpha1;

import dev.weir.api.WellKnownNames;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Rollout replaces a Deployment: it holds a pod template and a strategy, and carries each new
 * revision of the template from canary to stable. Short names avoid Argo Rollouts' {@code ro}.
 */
@Group(WellKnownNames.GROUP)
@Version(WellKnownNames.VERSION)
@Plural("rollouts")
@ShortNames({"wro", "wrollout"})
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".spec.replicas", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Current", jsonPath = ".status.replicas", type = Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Up-to-date",
    jsonPath = ".status.updatedReplicas",
    type = Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Available",
    jsonPath = ".status.availableReplicas",
    type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Step", jsonPath = ".status.currentStepIndex", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Weight", jsonPath = ".status.currentWeight", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class Rollout extends CustomResource<RolloutSpec, RolloutStatus> implements Namespaced {}
