package dev.weir.analysis;

import dev.weir.api.WellKnownNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The Secrets that opted in to analysis (labelled {@value WellKnownNames#ANALYSIS_SECRET_LABEL} =
 * {@value WellKnownNames#ANALYSIS_SECRET_OPT_IN}), as an informer watching only them holds them: a
 * Secret that did not opt in is never fetched, so its value never reaches the controller.
 */
@FunctionalInterface
public interface OptedInSecrets {

  /** The label selector of the informers that hold them. */
  String SELECTOR =
      WellKnownNames.ANALYSIS_SECRET_LABEL + "=" + WellKnownNames.ANALYSIS_SECRET_OPT_IN;

  /** The Secret, if it exists and opted in. */
  Optional<Secret> find(String namespace, String name);

  /**
   * An informer of the opted-in Secrets in the controller's namespaces, waking the primaries the
   * mapper names when one appears, changes, gains or loses the label.
   */
  static <P extends HasMetadata> InformerEventSource<Secret, P> informer(
      EventSourceContext<P> context, Class<P> primary, SecondaryToPrimaryMapper<Secret> mapper) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Secret.class, primary)
            .withName("analysis-secrets")
            .withLabelSelector(SELECTOR)
            .withSecondaryToPrimaryMapper(mapper)
            .build(),
        context);
  }

  /** The value of a key of a Secret, decoded; empty when the Secret has no such key. */
  static Optional<String> value(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return Optional.of(
          new String(
              Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return Optional.of(secret.getStringData().get(key));
    }
    return Optional.empty();
  }

  /** The Secrets in an informer's cache. */
  static OptedInSecrets of(InformerEventSource<Secret, ?> informer) {
    return (namespace, name) -> informer.get(new ResourceID(name, namespace));
  }
}
