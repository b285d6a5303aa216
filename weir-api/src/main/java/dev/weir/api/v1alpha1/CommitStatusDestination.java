package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * A commit status on the commit that declared the revision (the rollout's annotation
 * weir.dev/commit), so that a pull request shows whether its release passed: pending while it runs,
 * success when promoted, failure when aborted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CommitStatusDestination {

  /** The git host whose API takes the status. */
  public enum Provider {
    GitHub,
    GitLab
  }

  @JsonPropertyDescription("GitHub or GitLab.")
  @Required
  public Provider provider;

  @JsonPropertyDescription(
      "The API's base URL. Defaults to https://api.github.com (GitHub) or"
          + " https://gitlab.com/api/v4 (GitLab); GitHub Enterprise:"
          + " https://HOST/api/v3. Must be an allowed address.")
  public String apiUrl;

  @JsonPropertyDescription(
      "The repository: OWNER/REPO on GitHub; the project's path (group/project) or numeric id on"
          + " GitLab.")
  @Required
  public String repository;

  @JsonPropertyDescription(
      "The API token, from an opted-in Secret: GitHub's needs the commit statuses permission"
          + " (repo:status), GitLab's the api scope.")
  @Required
  public SecretValueSource tokenFrom;

  @JsonPropertyDescription(
      "The status's name (GitHub's context, GitLab's name). Defaults to weir/ROLLOUT.")
  public String context;

  /** The API's base URL, defaulted by provider. */
  public String api() {
    if (apiUrl != null && !apiUrl.isBlank()) {
      return apiUrl.strip();
    }
    return provider == Provider.GitLab ? "https://gitlab.com/api/v4" : "https://api.github.com";
  }
}
