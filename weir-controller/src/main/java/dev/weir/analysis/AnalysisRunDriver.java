package dev.weir.analysis;

import dev.weir.analysis.provider.QueryResult;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisPhase;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.AnalysisRunSpec;
import dev.weir.api.v1alpha1.AnalysisRunStatus;
import dev.weir.api.v1alpha1.Metric;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.validation.AnalysisTemplateValidator;
import dev.weir.observability.WeirMetrics;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Carries a run forward: takes the measurements that are due, judges them, and writes the run's
 * status once. The rollout that owns a run drives it from its own reconcile, so that a failed
 * measurement moves traffic back in that same reconcile; runs without a rollout are driven by the
 * {@link AnalysisRunReconciler}.
 */
public final class AnalysisRunDriver {

  /** The sides of a metric judged by comparison, in the order they are measured. */
  private static final List<String> SIDES = List.of("canary", "baseline");

  private final KubernetesClient client;
  private final PrometheusMeasurements prometheus;
  private final OptedInSecrets secrets;
  private final Clock clock;
  private final WeirMetrics metrics;

  public AnalysisRunDriver(
      KubernetesClient client,
      PrometheusMeasurements prometheus,
      OptedInSecrets secrets,
      Clock clock,
      WeirMetrics metrics) {
    this.client = client;
    this.prometheus = prometheus;
    this.secrets = secrets;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * The problems of the Secrets an analysis would read and of where their values would go (see
   * {@link SecretPolicy}), for an analysis declared at {@code field} of a rollout in {@code
   * namespace}.
   */
  public void checkSecrets(
      String field, ResolvedAnalysis analysis, String namespace, List<SpecProblem> problems) {
    prometheus
        .policy()
        .check(
            field + ".args",
            analysis.args(),
            analysis.metrics(),
            analysis.fields(),
            namespace,
            secrets,
            problems);
  }

  /** The run after this step, and when it next needs a measurement. */
  public record Advanced(AnalysisRun run, Optional<Instant> nextDue) {}

  /** Takes the measurements that are due now and records them; writes only if something changed. */
  public Advanced advance(AnalysisRun run) {
    return advance(run, AnswerBy.METRIC_TIMEOUT);
  }

  /**
   * Takes the measurements that are due now, each answering by the time {@code answerBy} gives, and
   * records them; writes only if something changed.
   */
  public Advanced advance(AnalysisRun run, AnswerBy answerBy) {
    Instant now = clock.instant();
    AnalysisRunStatus before = run.getStatus();
    var problems = new ArrayList<SpecProblem>();
    var spec = settled(run.getSpec(), problems);
    if (problems.isEmpty()) {
      var fields = new ArrayList<String>();
      for (int i = 0; i < spec.metrics.size(); i++) {
        fields.add(metricField(i, spec.metrics.get(i)));
      }
      prometheus
          .policy()
          .check(
              "spec.args",
              spec.args,
              spec.metrics,
              fields,
              run.getMetadata().getNamespace(),
              secrets,
              problems);
    }
    AnalysisRunStatus status =
        before == null || before.phase == null
            ? RunProgress.start(spec, now)
            : Serialization.clone(before);
    boolean terminate = Boolean.TRUE.equals(spec.terminate);
    if (!problems.isEmpty() && !status.phase.completed()) {
      // A run written by hand is checked like a template: nothing is measured from a bad spec.
      status.phase = AnalysisPhase.Error;
      status.message =
          "invalid spec: "
              + problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; "));
      status.completedAt = now.toString();
    } else if (!terminate) {
      var secrets = new SecretValues(run.getMetadata().getNamespace());
      Optional<Instant> by = RunProgress.nextDue(spec, status).flatMap(answerBy::measurementDue);
      for (Metric metric : RunProgress.due(spec, status, now)) {
        Instant started = clock.instant();
        if (by.isPresent() && !started.isBefore(by.get())) {
          // Past the deadline of the rollout waiting on it: the rollout acts on that, and a query
          // now would only hold its reconcile.
          break;
        }
        Judgement judgement = measure(metric, run, secrets, by);
        if (judgement.phase() == AnalysisPhase.Error
            && by.isPresent()
            && !clock.instant().isBefore(by.get())) {
          // Cut short by the deadline, not answered: no measurement.
          break;
        }
        if (judgement.phase() == AnalysisPhase.Error) {
          metrics.measurementError(run, metric.name);
        }
        RunProgress.record(status, metric, judgement, started, clock.instant());
      }
    }
    RunProgress.conclude(status, terminate, terminateReason(run), clock.instant());
    AnalysisRun written = run;
    if (!Objects.equals(
        Serialization.jsonMapper().valueToTree(before),
        Serialization.jsonMapper().valueToTree(status))) {
      written = writeStatus(run, status);
    }
    return new Advanced(written, RunProgress.nextDue(spec, status));
  }

  /**
   * The run's spec with the {{args.NAME}} of its settings filled in from its plain args, checked
   * metric by metric. A rollout's runs arrive settled already; a hand-written one may not.
   */
  public static AnalysisRunSpec settled(AnalysisRunSpec spec, List<SpecProblem> problems) {
    var copy = Serialization.clone(spec);
    if (copy.metrics == null || copy.metrics.isEmpty()) {
      problems.add(new SpecProblem("spec.metrics", "at least one metric is required"));
      copy.metrics = new ArrayList<>();
      return copy;
    }
    // Checked as a template is, but strictly: a run has no rollout to give its args later.
    AnalysisTemplateValidator.checkMetrics(
        copy.metrics, copy.args, false, i -> metricField(i, copy.metrics.get(i)), problems);
    return copy;
  }

  private static String metricField(int i, Metric metric) {
    return "spec.metrics[" + i + "]" + (metric.name == null ? "" : " (" + metric.name + ")");
  }

  private Judgement measure(
      Metric metric, AnalysisRun run, SecretValues secrets, Optional<Instant> answerBy) {
    ArgumentValues args;
    try {
      args = ArgumentValues.of(run.getSpec().args, secrets);
    } catch (ArgumentValues.MissingValue e) {
      return new Judgement(AnalysisPhase.Error, null, e.getMessage(), false);
    }
    try {
      if (metric.compare != null) {
        return masked(compared(metric, args, secrets, answerBy), args);
      }
      if (metric.minSamples != null) {
        QueryResult samples = prometheus.measure(metric, true, args, secrets, left(answerBy));
        var stop = MeasurementJudge.guard(metric, samples);
        if (stop.isPresent()) {
          return masked(stop.get(), args);
        }
      }
      QueryResult answer = prometheus.measure(metric, false, args, secrets, left(answerBy));
      return masked(MeasurementJudge.judge(metric, answer), args);
    } catch (ArgumentValues.MissingValue | IllegalArgumentException e) {
      return masked(new Judgement(AnalysisPhase.Error, null, e.getMessage(), false), args);
    }
  }

  /**
   * A metric judged by comparison: the minSamples guard and the query run for each side, the canary
   * first, and the two samples go to the {@link ComparisonJudge}.
   */
  private Judgement compared(
      Metric metric, ArgumentValues args, SecretValues secrets, Optional<Instant> answerBy) {
    var answers = new ArrayList<QueryResult>();
    for (String side : SIDES) {
      if (metric.minSamples != null) {
        QueryResult samples =
            prometheus.measure(metric, true, Optional.of(side), args, secrets, left(answerBy));
        var stop = MeasurementJudge.guard(metric, samples);
        if (stop.isPresent()) {
          Judgement j = stop.get();
          return new Judgement(j.phase(), j.value(), side + ": " + j.message(), j.noData());
        }
      }
      answers.add(
          prometheus.measure(metric, false, Optional.of(side), args, secrets, left(answerBy)));
    }
    return ComparisonJudge.judge(metric, answers.get(0), answers.get(1));
  }

  /** The time left until {@code answerBy}, at least a millisecond: a query needs some. */
  private Optional<Duration> left(Optional<Instant> answerBy) {
    return answerBy.map(
        at -> {
          Duration left = Duration.between(clock.instant(), at);
          return left.toMillis() < 1 ? Duration.ofMillis(1) : left;
        });
  }

  private static Judgement masked(Judgement j, ArgumentValues args) {
    return new Judgement(j.phase(), j.value(), args.mask(j.message()), j.noData(), j.evidence());
  }

  /**
   * Writes the status through the status subresource. This driver is the only writer of a run's
   * status; a conflict comes from a change of its spec (terminate), so the status is written again
   * onto the fresh object, and terminate is honoured on the next step.
   */
  private AnalysisRun writeStatus(AnalysisRun run, AnalysisRunStatus status) {
    var copy = Serialization.clone(run);
    copy.setStatus(status);
    try {
      return client.resource(copy).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      var fresh = client.resource(run).get();
      if (fresh == null) {
        return run;
      }
      fresh.setStatus(status);
      return client.resource(fresh).updateStatus();
    }
  }

  private static String terminateReason(AnalysisRun run) {
    var annotations = run.getMetadata().getAnnotations();
    String reason =
        annotations == null ? null : annotations.get(WellKnownNames.TERMINATE_REASON_ANNOTATION);
    return reason == null ? "on request" : reason;
  }

  /** Keys of the Secrets of the run's namespace that opted in, from the informer's cache. */
  private final class SecretValues implements ArgumentValues.SecretReader {
    private final String namespace;

    SecretValues(String namespace) {
      this.namespace = namespace;
    }

    @Override
    public String read(String name, String key) {
      Secret secret =
          secrets
              .find(namespace, name)
              .orElseThrow(
                  () -> new ArgumentValues.MissingValue(SecretPolicy.notOptedIn(namespace, name)));
      return OptedInSecrets.value(secret, key)
          .orElseThrow(
              () -> new ArgumentValues.MissingValue("Secret " + name + " has no key " + key));
    }
  }
}
