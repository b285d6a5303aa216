package dev.weir.api.v1alpha1;

import dev.weir.api.WellKnownNames;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An {@link AnalysisTemplate} for the whole cluster: a platform team publishes it once, rollouts of
 * every namespace name it with {@code clusterScope: true}.
 */
@Group(WellKnownNames.GROUP)
@Version(WellKnownNames.VERSION)
@Plural("clusteranalysistemplates")
@ShortNames({"wcat"})
public class ClusterAnalysisTemplate extends CustomResource<AnalysisTemplateSpec, Void> {}
