package dev.weir.api.validation;

import dev.weir.api.v1alpha1.GitWriteBack;
import dev.weir.api.v1alpha1.RolloutSpec;
import dev.weir.api.v1alpha1.SpecProblem;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What makes {@code spec.gitWriteBack} valid, before anything is cloned: an http(s) repository URL
 * without credentials in it, a branch git accepts, a path inside the repository, a field path the
 * write-back can follow, a container of the template. Whether the operator allows the address and
 * the Secret opted in is the controller's to judge, from its configuration and its informers.
 */
final class GitWriteBackValidator {

  private static final String AT = "spec.gitWriteBack";

  /** Dotted keys, each optionally followed by one [key=value] selector. */
  private static final Pattern FIELD =
      Pattern.compile(
          "[^.\\[\\]=\\s]+(\\[[^\\[\\]=]+=[^\\[\\]]+\\])?(\\.[^.\\[\\]=\\s]+(\\[[^\\[\\]=]+=[^\\[\\]]+\\])?)*");

  /** What git refuses in a branch name (git check-ref-format), in short. */
  private static final Pattern BAD_BRANCH =
      Pattern.compile(
          "(^[-/.])|([/.]$)|(\\.\\.)|(//)|(@\\{)|([\\s~^:?*\\[\\\\\\x00-\\x1f\\x7f])|(\\.lock$)|(/\\.)");

  private GitWriteBackValidator() {}

  static void validate(RolloutSpec spec, List<SpecProblem> problems) {
    GitWriteBack git = spec.gitWriteBack;
    if (git == null) {
      return;
    }
    repoURL(git.repoURL, problems);
    if (git.branch != null && (git.branch.isBlank() || BAD_BRANCH.matcher(git.branch).find())) {
      problems.add(new SpecProblem(AT + ".branch", "'" + git.branch + "' is not a branch name"));
    }
    if (git.path == null || git.path.isBlank()) {
      problems.add(new SpecProblem(AT + ".path", "is required"));
    } else if (git.path.startsWith("/")
        || List.of(git.path.split("[/\\\\]")).contains("..")
        || git.path.endsWith("/")) {
      problems.add(
          new SpecProblem(
              AT + ".path", "'" + git.path + "' must be a file's path inside the repository"));
    }
    if (git.field != null && !FIELD.matcher(git.field).matches()) {
      problems.add(
          new SpecProblem(
              AT + ".field",
              "'"
                  + git.field
                  + "' is not a field path (dotted keys, [key=value] to choose a list entry:"
                  + " images[name=registry.example/checkout].newTag)"));
    }
    if (git.container != null && spec.template != null && spec.template.getSpec() != null) {
      var containers = spec.template.getSpec().getContainers();
      if (containers == null
          || containers.stream().noneMatch(c -> git.container.equals(c.getName()))) {
        problems.add(
            new SpecProblem(
                AT + ".container", "'" + git.container + "' is not a container of spec.template"));
      }
    }
    if (git.credentialsSecret != null && git.credentialsSecret.isBlank()) {
      problems.add(new SpecProblem(AT + ".credentialsSecret", "must name a Secret"));
    }
  }

  private static void repoURL(String url, List<SpecProblem> problems) {
    String field = AT + ".repoURL";
    if (url == null || url.isBlank()) {
      problems.add(new SpecProblem(field, "is required"));
      return;
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      problems.add(new SpecProblem(field, "is not a URL (an https:// or http:// URL with a host)"));
      return;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
      problems.add(new SpecProblem(field, "must be an https:// or http:// URL with a host"));
    } else if (uri.getRawUserInfo() != null) {
      // Shown without the user info: it may hold a password.
      problems.add(
          new SpecProblem(
              field,
              "must not hold a user or password (they would be stored in the rollout);"
                  + " name a Secret in credentialsSecret"));
    } else if (uri.getRawQuery() != null || uri.getFragment() != null) {
      problems.add(new SpecProblem(field, "must not have a query or fragment"));
    }
  }
}
