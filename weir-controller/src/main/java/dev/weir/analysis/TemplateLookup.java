package dev.weir.analysis;

import dev.weir.api.v1alpha1.AnalysisTemplateSpec;
import java.util.Optional;

/** Where templates are read from: the informer caches in the controller, a map in tests. */
public interface TemplateLookup {

  Optional<AnalysisTemplateSpec> namespaced(String namespace, String name);

  Optional<AnalysisTemplateSpec> clusterScoped(String name);
}
