package dev.weir.api.validation;

import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The rollouts of examples/, read as a user applies them (tests run from the repository's top). */
final class Examples {

  private Examples() {}

  static RolloutSpec rolloutSpec(String path) {
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      return Serialization.unmarshal(in, Rollout.class).getSpec();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
