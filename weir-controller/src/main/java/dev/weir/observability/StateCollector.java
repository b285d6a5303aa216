package dev.weir.observability;

import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AbortedRevision;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.ComparisonEvidence;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.MetricResult;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The state metrics of rollouts and analysis runs, read from the informer caches at each scrape:
 * nothing to keep in step with the cluster, and nothing left behind by a deleted object.
 */
final class StateCollector implements MultiCollector {

  volatile Supplier<Stream<Rollout>> rollouts = Stream::empty;
  volatile Supplier<Stream<ReplicaSet>> replicaSets = Stream::empty;
  final Map<String, Supplier<Stream<AnalysisRun>>> runs = new ConcurrentHashMap<>();

  @Override
  public MetricSnapshots collect() {
    var info = new Family("weir_rollout", "Each rollout, with its strategy and revisions.");
    var phase = new Family("weir_rollout_phase", "1 for the rollout's phase, 0 for the others.");
    var step = new Family("weir_rollout_step", "Index of the canary step in progress.");
    var steps = new Family("weir_rollout_steps", "Number of steps of the canary strategy.");
    var weight =
        new Family(
            "weir_rollout_canary_weight_percent",
            "Canary weight that Weir set and read back, in percent of the traffic.");
    var replicas =
        new Family("weir_rollout_replicas", "Desired replicas of each side (stable, canary).");
    var ready = new Family("weir_rollout_ready_replicas", "Ready replicas of each side.");
    var aborted =
        new Family(
            "weir_rollout_aborted_revisions",
            "Revisions the rollout remembers as aborted (status.abortedRevisions).");
    var declaresAborted =
        new Family(
            "weir_rollout_declares_aborted_revision",
            "1 while the declared template is a revision remembered as aborted: git still declares"
                + " what Weir rolled back.");

    var sides = replicaSetsByOwner();
    for (Rollout rollout : rollouts.get().toList()) {
      String ns = rollout.getMetadata().getNamespace();
      String name = rollout.getMetadata().getName();
      RolloutStatus status = Optional.ofNullable(rollout.getStatus()).orElseGet(RolloutStatus::new);
      var strategy = rollout.getSpec() == null ? null : rollout.getSpec().strategy;
      boolean blueGreen = strategy != null && strategy.blueGreen != null;
      info.info(
          Labels.of(
              "namespace",
              ns,
              "rollout",
              name,
              "strategy",
              blueGreen ? "blueGreen" : "canary",
              "stable_revision",
              nonNull(status.stableRS),
              "current_revision",
              nonNull(status.currentPodHash)));
      for (RolloutPhase p : RolloutPhase.values()) {
        phase.gauge(
            Labels.of("namespace", ns, "rollout", name, "phase", p.name()),
            p == status.phase ? 1 : 0);
      }
      var labels = Labels.of("namespace", ns, "rollout", name);
      var remembered =
          status.abortedRevisions == null ? List.<AbortedRevision>of() : status.abortedRevisions;
      aborted.gauge(labels, remembered.size());
      declaresAborted.gauge(
          labels,
          remembered.stream()
                  .anyMatch(
                      r ->
                          r != null
                              && r.podTemplateHash != null
                              && r.podTemplateHash.equals(status.currentPodHash)
                              && !r.podTemplateHash.equals(status.stableRS))
              ? 1
              : 0);
      if (!blueGreen && strategy != null && strategy.canary != null) {
        steps.gauge(labels, strategy.canary.steps == null ? 0 : strategy.canary.steps.size());
        if (status.currentStepIndex != null) {
          step.gauge(labels, status.currentStepIndex);
        }
      }
      Integer w = status.verifiedWeight != null ? status.verifiedWeight : status.currentWeight;
      if (!blueGreen) {
        weight.gauge(labels, w == null ? 0 : w);
      }
      for (ReplicaSet rs : sides.getOrDefault(ns + "/" + name, List.of())) {
        String hash = rs.getMetadata().getLabels().get(WellKnownNames.POD_TEMPLATE_HASH_LABEL);
        // The baseline shares stable's hash: a side of its own, or stable would be counted twice.
        String side =
            rs.getMetadata().getLabels().containsKey(WellKnownNames.BASELINE_LABEL)
                ? "baseline"
                : hash.equals(status.stableRS)
                    ? "stable"
                    : hash.equals(status.currentPodHash) ? "canary" : null;
        if (side == null) {
          continue;
        }
        var sideLabels = labels.add("side", side);
        replicas.gauge(sideLabels, orZero(rs.getSpec().getReplicas()));
        ready.gauge(
            sideLabels, rs.getStatus() == null ? 0 : orZero(rs.getStatus().getReadyReplicas()));
      }
    }

    var runPhase = new Family("weir_analysisrun_phase", "1 for the run's phase, 0 for the others.");
    var value =
        new Family(
            "weir_analysisrun_metric_value", "Value of the latest measurement of each metric.");
    var metricPhase =
        new Family("weir_analysisrun_metric_phase", "1 for each metric's phase, 0 for the others.");
    var threshold =
        new Family(
            "weir_analysisrun_metric_threshold",
            "Threshold of a metric's successCondition or failureCondition of the form"
                + " result[0] OP number.");
    var comparison =
        new Family(
            "weir_analysisrun_metric_comparison",
            "Evidence of the latest measurement of a metric judged against its baseline, by"
                + " statistic: p_value, shift, tolerance, canary_median, baseline_median,"
                + " mann_whitney_u, canary_points, baseline_points.");
    var seen = new java.util.HashSet<String>();
    for (var source : runs.values()) {
      for (AnalysisRun run : source.get().toList()) {
        if (!seen.add(run.getMetadata().getNamespace() + "/" + run.getMetadata().getName())) {
          continue;
        }
        var runLabels =
            Labels.of(
                "namespace", run.getMetadata().getNamespace(),
                "analysisrun", run.getMetadata().getName(),
                "rollout", owningRollout(run));
        var status = run.getStatus();
        for (AnalysisPhase p : AnalysisPhase.values()) {
          runPhase.gauge(
              runLabels.add("phase", p.name()), status != null && p == status.phase ? 1 : 0);
        }
        if (run.getSpec() != null && run.getSpec().metrics != null) {
          for (Metric metric : run.getSpec().metrics) {
            var metricLabels = runLabels.add("metric", metric.name);
            Thresholds.of("success", metric.successCondition)
                .ifPresent(t -> threshold.gauge(t.labels(metricLabels), t.value()));
            Thresholds.of("failure", metric.failureCondition)
                .ifPresent(t -> threshold.gauge(t.labels(metricLabels), t.value()));
          }
        }
        if (status == null || status.metricResults == null) {
          continue;
        }
        for (MetricResult result : status.metricResults) {
          var metricLabels = runLabels.add("metric", result.name);
          for (AnalysisPhase p : AnalysisPhase.values()) {
            metricPhase.gauge(metricLabels.add("phase", p.name()), p == result.phase ? 1 : 0);
          }
          latestValue(result).ifPresent(v -> value.gauge(metricLabels, v));
          latestEvidence(result)
              .ifPresent(
                  e ->
                      ComparisonStatistics.of(e)
                          .forEach(
                              (statistic, v) ->
                                  comparison.gauge(metricLabels.add("statistic", statistic), v)));
        }
      }
    }
    var all = new ArrayList<io.prometheus.metrics.model.snapshots.MetricSnapshot>();
    for (Family f :
        List.of(
            info,
            phase,
            step,
            steps,
            weight,
            replicas,
            ready,
            aborted,
            declaresAborted,
            runPhase,
            value,
            metricPhase,
            threshold,
            comparison)) {
      all.add(f.snapshot());
    }
    return new MetricSnapshots(all);
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(
        "weir_rollout",
        "weir_rollout_phase",
        "weir_rollout_step",
        "weir_rollout_steps",
        "weir_rollout_canary_weight_percent",
        "weir_rollout_replicas",
        "weir_rollout_ready_replicas",
        "weir_rollout_aborted_revisions",
        "weir_rollout_declares_aborted_revision",
        "weir_analysisrun_phase",
        "weir_analysisrun_metric_value",
        "weir_analysisrun_metric_phase",
        "weir_analysisrun_metric_threshold",
        "weir_analysisrun_metric_comparison");
  }

  private Map<String, List<ReplicaSet>> replicaSetsByOwner() {
    var byOwner = new LinkedHashMap<String, List<ReplicaSet>>();
    replicaSets
        .get()
        .filter(rs -> rs.getMetadata().getLabels() != null)
        .filter(
            rs -> rs.getMetadata().getLabels().containsKey(WellKnownNames.POD_TEMPLATE_HASH_LABEL))
        .forEach(
            rs ->
                owner(rs, "Rollout")
                    .ifPresent(
                        o ->
                            byOwner
                                .computeIfAbsent(
                                    rs.getMetadata().getNamespace() + "/" + o,
                                    k -> new ArrayList<>())
                                .add(rs)));
    return byOwner;
  }

  static String owningRollout(AnalysisRun run) {
    return owner(run, "Rollout").orElse("");
  }

  private static Optional<String> owner(HasMetadata object, String kind) {
    var owners = object.getMetadata().getOwnerReferences();
    if (owners == null) {
      return Optional.empty();
    }
    return owners.stream().filter(o -> kind.equals(o.getKind())).map(o -> o.getName()).findFirst();
  }

  /** The latest measurement's value, when it is a number (a vector's first sample counts). */
  private static Optional<Double> latestValue(MetricResult result) {
    if (result.measurements == null || result.measurements.isEmpty()) {
      return Optional.empty();
    }
    for (int i = result.measurements.size() - 1; i >= 0; i--) {
      String v = result.measurements.get(i).value;
      if (v == null || v.isBlank()) {
        continue;
      }
      String first = v.replace("[", "").replace("]", "").split(",")[0].trim();
      try {
        return Optional.of(Double.parseDouble(first));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The evidence of the latest measurement that has some (a metric judged by comparison). */
  private static Optional<ComparisonEvidence> latestEvidence(MetricResult result) {
    if (result.measurements == null) {
      return Optional.empty();
    }
    for (int i = result.measurements.size() - 1; i >= 0; i--) {
      if (result.measurements.get(i).comparison != null) {
        return Optional.of(result.measurements.get(i).comparison);
      }
    }
    return Optional.empty();
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  /** The data points of one gauge or info family, gathered during a scrape. */
  private static final class Family {
    private final String name;
    private final String help;
    private final List<GaugeDataPointSnapshot> gauges = new ArrayList<>();
    private final List<InfoDataPointSnapshot> infos = new ArrayList<>();

    Family(String name, String help) {
      this.name = name;
      this.help = help;
    }

    void gauge(Labels labels, double value) {
      gauges.add(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
    }

    void info(Labels labels) {
      infos.add(InfoDataPointSnapshot.builder().labels(labels).build());
    }

    io.prometheus.metrics.model.snapshots.MetricSnapshot snapshot() {
      if (name.equals("weir_rollout")) {
        var b = InfoSnapshot.builder().name(name).help(help);
        infos.forEach(b::dataPoint);
        return b.build();
      }
      var b = GaugeSnapshot.builder().name(name).help(help);
      gauges.forEach(b::dataPoint);
      return b.build();
    }
  }
}
