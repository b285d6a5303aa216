package dev.weir.rollout;

import dev.weir.analysis.AnalysisRunDriver;
import dev.weir.analysis.AnswerBy;
import dev.weir.analysis.ResolvedAnalysis;
import dev.weir.analysis.TemplateLookup;
import dev.weir.analysis.TemplateResolver;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.AnalysisTemplate;
import dev.weir.api.v1alpha1.AnalysisTemplateSpec;
import dev.weir.api.v1alpha1.ClusterAnalysisTemplate;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutAnalysis;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.api.validation.RolloutValidator;
import dev.weir.rollout.plan.Action.DeleteAnalysis;
import dev.weir.rollout.plan.Action.StartAnalysis;
import dev.weir.rollout.plan.Action.TerminateAnalysis;
import dev.weir.rollout.plan.AnalysisRunView;
import dev.weir.rollout.plan.AnalysisSite;
import dev.weir.rollout.plan.Observation;
import dev.weir.rollout.plan.ProgressDeadline;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The analysis work of one reconcile of a rollout: the templates it names resolved (their problems
 * are an InvalidSpec), its runs carried forward (measurements that are due are taken here, so that
 * a failed one is acted on in this same reconcile), and the runs the planner starts, terminates and
 * deletes (through the {@link ActionDispatcher}).
 */
final class ReleaseAnalysis {

  private final Rollout rollout;
  private final KubernetesClient client;
  private final RolloutEventSources sources;
  private final AnalysisRunDriver driver;
  private final Map<AnalysisSite, ResolvedAnalysis> resolved = new HashMap<>();
  private final List<SpecProblem> problems = new ArrayList<>();
  private final Map<String, AnalysisRun> runs = new HashMap<>();
  private final Map<String, Instant> due = new HashMap<>();

  /** The rollout's status as last planned: it names the run the release waits on. */
  private RolloutStatus planned;

  ReleaseAnalysis(
      Rollout rollout,
      KubernetesClient client,
      RolloutEventSources sources,
      AnalysisRunDriver driver) {
    this.rollout = rollout;
    this.client = client;
    this.sources = sources;
    this.driver = driver;
    this.planned = rollout.getStatus();
  }

  /** The status of the latest planning pass: what the release now waits on, and since when. */
  void planned(RolloutStatus status) {
    this.planned = status;
  }

  /** Resolves the rollout's analyses and carries its runs forward. */
  void observe(List<AnalysisRun> owned) {
    resolveAll();
    for (AnalysisRun run : owned) {
      advance(run);
    }
  }

  private void resolveAll() {
    // Its runs carry its name as a label value; the webhook refuses the same name.
    RolloutValidator.validateName(rollout.getMetadata().getName(), problems);
    var resolver = new TemplateResolver(new CachedTemplates());
    var blueGreen =
        rollout.getSpec() == null || rollout.getSpec().strategy == null
            ? null
            : rollout.getSpec().strategy.blueGreen;
    if (blueGreen != null) {
      String field = "spec.strategy.blueGreen.";
      if (blueGreen.prePromotionAnalysis != null) {
        resolve(
            resolver,
            field + "prePromotionAnalysis",
            AnalysisSite.PRE_PROMOTION,
            blueGreen.prePromotionAnalysis);
      }
      if (blueGreen.postPromotionAnalysis != null) {
        resolve(
            resolver,
            field + "postPromotionAnalysis",
            AnalysisSite.POST_PROMOTION,
            blueGreen.postPromotionAnalysis);
      }
      return;
    }
    var canary =
        rollout.getSpec() == null || rollout.getSpec().strategy == null
            ? null
            : rollout.getSpec().strategy.canary;
    if (canary == null) {
      return;
    }
    if (canary.analysis != null) {
      resolve(resolver, "spec.strategy.canary.analysis", AnalysisSite.BACKGROUND, canary.analysis);
    }
    if (canary.steps != null) {
      for (int i = 0; i < canary.steps.size(); i++) {
        var analysis = canary.steps.get(i).analysis;
        if (analysis != null) {
          resolve(
              resolver,
              "spec.strategy.canary.steps[" + i + "].analysis",
              AnalysisSite.step(i),
              analysis);
        }
      }
    }
  }

  private void resolve(
      TemplateResolver resolver, String field, AnalysisSite site, RolloutAnalysis analysis) {
    var resolution = resolver.resolve(field, analysis, rollout.getMetadata().getNamespace());
    problems.addAll(resolution.problems());
    resolution
        .analysis()
        .ifPresent(
            a -> {
              AnalysisRuns.checkFieldRefs(rollout, field, a, problems);
              driver.checkSecrets(field, a, rollout.getMetadata().getNamespace(), problems);
              resolved.put(site, a);
            });
  }

  Observation.AnalysisObservation observation() {
    var views = new HashMap<String, AnalysisRunView>();
    runs.forEach((name, run) -> views.put(name, AnalysisRuns.view(run, due.get(name))));
    return new Observation.AnalysisObservation(
        rollout.getMetadata().getName(), views, List.copyOf(problems));
  }

  /** When the next measurement of a run still under way is due. */
  Optional<Instant> nextDue() {
    return due.values().stream().min(Instant::compareTo);
  }

  /** Deletes a finished run beyond the history limits. */
  void delete(DeleteAnalysis delete) {
    var run = runs.remove(delete.name());
    due.remove(delete.name());
    if (run != null) {
      client.resource(run).delete();
    }
  }

  /** Creates the run of a site, or finds it created by an earlier reconcile. */
  void start(StartAnalysis start) {
    var analysis = resolved.get(start.site());
    var run =
        AnalysisRuns.build(
            rollout, start.name(), start.site(), analysis, start.canaryHash(), start.stableHash());
    AnalysisRun created;
    try {
      created = client.resource(run).create();
      sources.analysisRuns().handleRecentResourceCreate(ResourceID.fromResource(created), created);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // Created by a reconcile whose status write was lost: the name was already fixed.
      created = client.resource(run).get();
    }
    advance(created);
  }

  /** Asks a run to stop measuring, saying why. */
  void terminate(TerminateAnalysis terminate) {
    var run = runs.get(terminate.name());
    String patch =
        "{\"metadata\":{\"annotations\":{\""
            + WellKnownNames.TERMINATE_REASON_ANNOTATION
            + "\":"
            + io.fabric8.kubernetes.client.utils.Serialization.asJson(terminate.reason())
            + "}},\"spec\":{\"terminate\":true}}";
    AnalysisRun patched = client.resource(run).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    advance(patched);
  }

  /** Takes the run's due measurements (or concludes it when terminated) and keeps the result. */
  private void advance(AnalysisRun run) {
    String name = run.getMetadata().getName();
    boolean completed =
        run.getStatus() != null
            && run.getStatus().phase != null
            && run.getStatus().phase.completed();
    if (completed) {
      runs.put(name, run);
      return;
    }
    var advanced = driver.advance(run, answerBy(name));
    AnalysisRun current = advanced.run();
    if (current != run) {
      sources
          .analysisRuns()
          .handleRecentResourceUpdate(ResourceID.fromResource(current), current, run);
    }
    advanced.nextDue().ifPresentOrElse(at -> due.put(name, at), () -> due.remove(name));
    runs.put(name, current);
  }

  /**
   * The run the release waits on (an analysis step, a pre- or post-promotion analysis) answers
   * within the rollout's progress deadline; the others, which hold nothing up, within their
   * metrics' timeouts.
   */
  private AnswerBy answerBy(String name) {
    var waitedOn = planned == null ? null : planned.stepAnalysisRun;
    if (waitedOn == null || !name.equals(waitedOn.name) || rollout.getSpec() == null) {
      return AnswerBy.METRIC_TIMEOUT;
    }
    var status = planned;
    return due -> ProgressDeadline.limit(rollout.getSpec(), status, due, due);
  }

  /** Templates from the informer caches: read on every reconcile without an API request. */
  private final class CachedTemplates implements TemplateLookup {
    @Override
    public Optional<AnalysisTemplateSpec> namespaced(String namespace, String name) {
      return sources
          .templates()
          .get(new ResourceID(name, namespace))
          .map(AnalysisTemplate::getSpec);
    }

    @Override
    public Optional<AnalysisTemplateSpec> clusterScoped(String name) {
      return sources
          .clusterTemplates()
          .get(new ResourceID(name))
          .map(ClusterAnalysisTemplate::getSpec);
    }
  }
}
