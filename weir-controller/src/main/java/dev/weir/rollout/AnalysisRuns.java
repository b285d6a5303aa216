package dev.weir.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.analysis.ResolvedAnalysis;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.AnalysisRunSpec;
import dev.weir.api.v1alpha1.AnalysisRunStatus;
import dev.weir.api.v1alpha1.ArgumentValueFrom;
import dev.weir.api.v1alpha1.MetricResult;
import dev.weir.api.v1alpha1.PodTemplateHashValue;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.rollout.plan.AnalysisRunView;
import dev.weir.rollout.plan.AnalysisSite;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AnalysisRuns of a rollout: how they are made from a resolved analysis (args read from the
 * rollout, Secret references kept as references), labelled, owned, and seen by the planner.
 */
final class AnalysisRuns {

  /** One segment of a fieldRef path: {@code labels} or {@code labels['app']}. */
  private static final Pattern SEGMENT = Pattern.compile("([A-Za-z0-9_-]+)(?:\\['([^']*)'])?");

  private AnalysisRuns() {}

  static AnalysisRun build(
      Rollout rollout,
      String name,
      AnalysisSite site,
      ResolvedAnalysis analysis,
      String canaryHash,
      String stableHash) {
    var run = new AnalysisRun();
    run.setMetadata(
        RolloutOwner.metadata(
            rollout,
            name,
            Map.of(
                WellKnownNames.POD_TEMPLATE_HASH_LABEL,
                canaryHash,
                WellKnownNames.ANALYSIS_SITE_LABEL,
                site.label())));
    var spec = new AnalysisRunSpec();
    spec.metrics = analysis.metrics();
    spec.args = new ArrayList<>();
    for (var arg : analysis.args()) {
      spec.args.add(resolved(rollout, arg, canaryHash, stableHash));
    }
    run.setSpec(spec);
    return run;
  }

  /** An arg as the run keeps it: a value, except for Secrets, which stay references. */
  private static AnalysisArgument resolved(
      Rollout rollout, AnalysisArgument arg, String canaryHash, String stableHash) {
    ArgumentValueFrom from = arg.valueFrom;
    if (from == null || from.secretKeyRef != null) {
      return arg;
    }
    if (from.podTemplateHashValue != null) {
      return new AnalysisArgument(
          arg.name,
          from.podTemplateHashValue == PodTemplateHashValue.Stable ? stableHash : canaryHash);
    }
    return new AnalysisArgument(arg.name, field(rollout, from.fieldRef.getFieldPath()).orElse(""));
  }

  /** The fieldRef args of an analysis that do not name a field of the rollout. */
  static void checkFieldRefs(
      Rollout rollout, String field, ResolvedAnalysis analysis, List<SpecProblem> problems) {
    for (var arg : analysis.args()) {
      if (arg.valueFrom != null && arg.valueFrom.fieldRef != null) {
        String path = arg.valueFrom.fieldRef.getFieldPath();
        if (field(rollout, path).isEmpty()) {
          problems.add(
              new SpecProblem(
                  field + ".args",
                  "arg '" + arg.name + "': fieldRef " + path + " is not a field of this rollout"));
        }
      }
    }
  }

  /** A field of the rollout by path: {@code metadata.labels['app']}, {@code spec.replicas}. */
  static Optional<String> field(Rollout rollout, String path) {
    JsonNode node = Serialization.jsonMapper().valueToTree(rollout);
    for (String segment : path.split("\\.(?![^\\[]*])")) {
      Matcher m = SEGMENT.matcher(segment);
      if (!m.matches()) {
        return Optional.empty();
      }
      node = node.path(m.group(1));
      if (m.group(2) != null) {
        node = node.path(m.group(2));
      }
    }
    return node.isValueNode() ? Optional.of(node.asText()) : Optional.empty();
  }

  /** The planner's view of a run, with when its next measurement is due (if one is to come). */
  static AnalysisRunView view(AnalysisRun run, Instant nextDue) {
    var status = run.getStatus();
    var labels = run.getMetadata().getLabels();
    String created = run.getMetadata().getCreationTimestamp();
    Optional<MetricResult> deciding = deciding(status);
    return new AnalysisRunView(
        run.getMetadata().getName(),
        labels == null ? null : labels.get(WellKnownNames.POD_TEMPLATE_HASH_LABEL),
        status == null || status.phase == null ? AnalysisPhase.Pending : status.phase,
        status == null ? null : status.message,
        Boolean.TRUE.equals(run.getSpec().terminate),
        created == null ? Instant.now() : Instant.parse(created),
        status == null ? null : measuredAt(status),
        nextDue,
        deciding.map(r -> r.name).orElse(null),
        deciding.flatMap(AnalysisRuns::lastValue).orElse(null));
  }

  /**
   * The metric that decided an unsuccessful verdict: the first that decides (not a dry run) and
   * ended as the run did, as the run's own verdict picks it.
   */
  private static Optional<MetricResult> deciding(AnalysisRunStatus status) {
    if (status == null
        || status.phase == null
        || !status.phase.completed()
        || status.phase == AnalysisPhase.Successful
        || status.metricResults == null) {
      return Optional.empty();
    }
    return status.metricResults.stream()
        .filter(r -> r != null && r.phase == status.phase && !Boolean.TRUE.equals(r.dryRun))
        .findFirst();
  }

  private static Optional<String> lastValue(MetricResult result) {
    if (result.measurements == null || result.measurements.isEmpty()) {
      return Optional.empty();
    }
    var last = result.measurements.get(result.measurements.size() - 1);
    return Optional.ofNullable(last == null ? null : last.value);
  }

  /** When the latest measurement of a run finished; null before the first. */
  private static Instant measuredAt(AnalysisRunStatus status) {
    if (status.metricResults == null) {
      return null;
    }
    return status.metricResults.stream()
        .filter(r -> r != null && r.measurements != null)
        .flatMap(r -> r.measurements.stream())
        .filter(m -> m != null && m.finishedAt != null)
        .map(m -> Instant.parse(m.finishedAt))
        .max(Instant::compareTo)
        .orElse(null);
  }
}
