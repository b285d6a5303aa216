package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/**
 * Where the rollout's manifest lives in git, so that an abort reaches git as an ordinary commit
 * restoring the stable revision's image (docs/gitops.md, "Write-back on abort").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GitWriteBack {

  @JsonPropertyDescription(
      "URL of the repository, https:// or http:// (as Argo CD's repoURL). It holds no user or"
          + " password: those come from credentialsSecret. The operator must allow it"
          + " (weir.gitops.allowed-addresses), as Prometheus addresses.")
  @Required
  public String repoURL;

  @JsonPropertyDescription("The branch the GitOps tool syncs from. Defaults to main.")
  @Default("main")
  public String branch;

  @JsonPropertyDescription(
      "Path of the file, from the repository's root, that declares the field: the Rollout's"
          + " manifest, a Kustomize overlay's kustomization.yaml, a Helm values file.")
  @Required
  public String path;

  @JsonPropertyDescription(
      "Path of the field in the file: dotted keys, [key=value] choosing a list entry, e.g."
          + " images[name=registry.example/checkout].newTag (Kustomize) or image.tag (Helm"
          + " values). Defaults to spec.template.spec.containers[name=CONTAINER].image of the"
          + " Rollout of this name in the file.")
  public String field;

  @JsonPropertyDescription(
      "The container whose image is restored. Defaults to the first container of the"
          + " template.")
  public String container;

  @JsonPropertyDescription(
      "What the field holds of the image: image (the whole reference) or tag (what follows the"
          + " last ':' of the name). Defaults to image.")
  @Default("image")
  public GitWriteBackValue value;

  @JsonPropertyDescription(
      "A Secret in the rollout's namespace labelled weir.dev/analysis-secret=true, with the"
          + " keys username (optional) and password (a password or a token). Without it the"
          + " repository is written without authentication.")
  public String credentialsSecret;

  @JsonPropertyDescription(
      "commit: push the revert to branch, which the GitOps tool syncs; branch: push it to a"
          + " branch of its own, weir/revert-ROLLOUT-HASH, for a pull request. Defaults to"
          + " commit.")
  @Default("commit")
  public GitWriteBackMode mode;

  public String branchOrDefault() {
    return branch == null || branch.isBlank() ? "main" : branch;
  }

  public GitWriteBackMode modeOrDefault() {
    return mode == null ? GitWriteBackMode.commit : mode;
  }

  public GitWriteBackValue valueOrDefault() {
    return value == null ? GitWriteBackValue.image : value;
  }
}
