package dev.weir.gitops;

import dev.weir.analysis.OptedInSecrets;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.GitWriteBack;
import dev.weir.api.v1alpha1.SpecProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The security rules of a write-back (docs/security.md), the same as an analysis follows: the
 * credentials come only from a Secret of the rollout's namespace that opted in (labelled {@value
 * WellKnownNames#ANALYSIS_SECRET_LABEL}={@value WellKnownNames#ANALYSIS_SECRET_OPT_IN}), and Weir
 * talks only to repositories under an address the operator allowed ({@code
 * weir.gitops.allowed-addresses}): otherwise whoever may write a Rollout could have Weir send a
 * Secret of the namespace, or its own identity's reach, anywhere. Each violation is a problem of
 * the field at fault: an InvalidSpec, and nothing leaves.
 */
public final class WriteBackPolicy {

  static final String PASSWORD = "password";
  static final String USERNAME = "username";

  private final GitOpsSettings settings;

  public WriteBackPolicy(GitOpsSettings settings) {
    this.settings = settings;
  }

  /** What keeps the write-back of {@code git}, for a rollout of {@code namespace}, from leaving. */
  public List<SpecProblem> check(GitWriteBack git, String namespace, OptedInSecrets secrets) {
    var problems = new ArrayList<SpecProblem>();
    if (git == null || git.repoURL == null) {
      return problems;
    }
    if (!settings.allowed().allows(git.repoURL)) {
      problems.add(
          new SpecProblem(
              "spec.gitWriteBack.repoURL",
              git.repoURL
                  + " is not an allowed git address (weir.gitops.allowed-addresses: "
                  + settings.allowed()
                  + ")"));
    }
    if (git.credentialsSecret != null && !git.credentialsSecret.isBlank()) {
      var secret = secrets.find(namespace, git.credentialsSecret);
      if (secret.isEmpty()) {
        problems.add(
            new SpecProblem(
                "spec.gitWriteBack.credentialsSecret",
                "Secret "
                    + namespace
                    + "/"
                    + git.credentialsSecret
                    + " does not exist or has not opted in (label it "
                    + WellKnownNames.ANALYSIS_SECRET_LABEL
                    + "="
                    + WellKnownNames.ANALYSIS_SECRET_OPT_IN
                    + ")"));
      } else if (OptedInSecrets.value(secret.get(), PASSWORD).filter(v -> !v.isEmpty()).isEmpty()) {
        problems.add(
            new SpecProblem(
                "spec.gitWriteBack.credentialsSecret",
                "Secret "
                    + git.credentialsSecret
                    + " has no key "
                    + PASSWORD
                    + " (a password or a token)"));
      }
    }
    return problems;
  }

  /** The credentials of a write-back that passed {@link #check}; empty without a Secret. */
  public Optional<GitCredentials> credentials(
      GitWriteBack git, String namespace, OptedInSecrets secrets) {
    if (git.credentialsSecret == null || git.credentialsSecret.isBlank()) {
      return Optional.empty();
    }
    return secrets
        .find(namespace, git.credentialsSecret)
        .flatMap(
            s ->
                OptedInSecrets.value(s, PASSWORD)
                    .map(
                        password ->
                            new GitCredentials(
                                OptedInSecrets.value(s, USERNAME).orElse(null), password.strip())));
  }
}
