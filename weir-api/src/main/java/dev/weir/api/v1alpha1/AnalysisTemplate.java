package dev.weir.api.v1alpha1;

import dev.weir.api.WellKnownNames;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * How to judge a revision: metrics, each a query and the conditions its result must meet. Rollouts
 * in the same namespace name it in their analysis steps; each use becomes an {@link AnalysisRun}.
 */
@Group(WellKnownNames.GROUP)
@Version(WellKnownNames.VERSION)
@Plural("analysistemplates")
@ShortNames({"wat"})
public class AnalysisTemplate extends CustomResource<AnalysisTemplateSpec, Void>
    implements Namespaced {}
