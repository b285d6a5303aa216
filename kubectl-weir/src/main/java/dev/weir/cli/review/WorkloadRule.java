package dev.weir.cli.review;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Workloads made fragile or stopped: replicas to 0, a selector changed, resource limits or probes
 * removed from a container, a workload removed from git.
 */
final class WorkloadRule implements RiskRule {

  /** Kinds whose pods come from {@code spec.template}. */
  private static final Set<String> WORKLOADS =
      Set.of("Rollout", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

  private static final Set<String> SCALED =
      Set.of("Rollout", "Deployment", "StatefulSet", "ReplicaSet");

  private static final List<String> PROBES =
      List.of("readinessProbe", "livenessProbe", "startupProbe");

  @Override
  public void check(Change change, Risks risks) {
    String kind = change.kind();
    boolean workload = WORKLOADS.contains(kind) || kind.equals("CronJob");
    if (!workload) {
      return;
    }
    if (change.removed()) {
      if (SCALED.contains(kind)) {
        risks.add(
            Severity.WARNING,
            change,
            "",
            "removed from git: a GitOps tool that prunes deletes it and its pods");
      }
      return;
    }
    if (change.added()) {
      return;
    }
    if (SCALED.contains(kind)
        && change.before("spec", "replicas").asInt(1) > 0
        && change.after("spec", "replicas").isNumber()
        && change.after("spec", "replicas").asInt() == 0) {
      risks.add(
          Severity.HIGH,
          change,
          "spec.replicas",
          "replicas set to 0 (was "
              + change.before("spec", "replicas").asInt(1)
              + "): every pod stops");
    }
    JsonNode selectorBefore = change.before("spec", "selector");
    JsonNode selectorAfter = change.after("spec", "selector");
    if (!kind.equals("Job")
        && !kind.equals("CronJob")
        && !selectorBefore.isMissingNode()
        && !selectorBefore.equals(selectorAfter)) {
      risks.add(
          Severity.HIGH,
          change,
          "spec.selector",
          kind.equals("Rollout")
              ? "the selector changed: the ReplicaSets made under the old one no longer match it;"
                  + " they are orphaned and keep their pods beside the new ones"
              : "the selector changed: it is immutable, so the apply is refused until the "
                  + kind
                  + " is deleted and made again");
    }
    String template = kind.equals("CronJob") ? "spec.jobTemplate.spec.template" : "spec.template";
    String[] templatePath = template.split("\\.");
    checkContainers(
        change, template, at(change, true, templatePath), at(change, false, templatePath), risks);
  }

  private static void checkContainers(
      Change change, String template, JsonNode before, JsonNode after, Risks risks) {
    Map<String, Integer> afterByName = new LinkedHashMap<>();
    JsonNode containersAfter = after.path("spec").path("containers");
    for (int i = 0; i < containersAfter.size(); i++) {
      afterByName.putIfAbsent(containersAfter.get(i).path("name").asText(""), i);
    }
    for (JsonNode container : before.path("spec").path("containers")) {
      String name = container.path("name").asText("");
      Integer i = afterByName.get(name);
      if (i == null) {
        continue; // a container removed is a change of the application, not of a safeguard
      }
      JsonNode now = containersAfter.get(i);
      String path = template + ".spec.containers[" + i + "]";
      JsonNode limits = container.path("resources").path("limits");
      JsonNode limitsNow = now.path("resources").path("limits");
      limits
          .fieldNames()
          .forEachRemaining(
              resource -> {
                if (!limitsNow.has(resource)) {
                  risks.add(
                      Severity.WARNING,
                      change,
                      path + ".resources",
                      "container "
                          + name
                          + ": its "
                          + resource
                          + " limit ("
                          + limits.path(resource).asText()
                          + ") is removed: one pod can take what its neighbours on the node need");
                }
              });
      for (String probe : PROBES) {
        if (container.has(probe) && !now.has(probe)) {
          boolean readiness = probe.equals("readinessProbe");
          risks.add(
              readiness ? Severity.HIGH : Severity.WARNING,
              change,
              path,
              "container "
                  + name
                  + ": its "
                  + probe
                  + " is removed: "
                  + (readiness
                      ? "pods get traffic as soon as they start, before they can answer"
                      : probe.equals("livenessProbe")
                          ? "a pod that hangs is no longer restarted"
                          : "a slow start is no longer told apart from a hang"));
        }
      }
    }
  }

  private static JsonNode at(Change change, boolean before, String... path) {
    return before ? change.before(path) : change.after(path);
  }
}
