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
 * One judgement of one revision: the metrics of its templates with their args filled in, measured
 * on schedule until a verdict. A rollout creates one per analysis step and one for its background
 * analysis; a user may create one by hand to run the same checks outside a release.
 */
@Group(WellKnownNames.GROUP)
@Version(WellKnownNames.VERSION)
@Plural("analysisruns")
@ShortNames({"war"})
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.message", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class AnalysisRun extends CustomResource<AnalysisRunSpec, AnalysisRunStatus>
    implements Namespaced {}
