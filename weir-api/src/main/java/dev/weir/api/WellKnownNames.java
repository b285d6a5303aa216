package dev.weir.api;

/**
 * The names Weir's API is known by on the cluster, declared once: its group and version, the labels
 * and annotations it puts on the objects it makes, and the field manager it writes as. Users select
 * by them ({@code kubectl get rs -l weir.dev/pod-template-hash}), GitOps tools are told to leave
 * them alone, and the controller and the plugin must agree on every one.
 */
public final class WellKnownNames {

  /** The API group of Weir's custom resources. */
  public static final String GROUP = "weir.dev";

  /** The version of Weir's custom resources. */
  public static final String VERSION = "v1alpha1";

  /** The apiVersion of Weir's custom resources: {@code weir.dev/v1alpha1}. */
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /**
   * Weir's field manager: the owner of every field Weir writes (route weights, selectors, replica
   * counts), so that GitOps tools can be told to leave exactly those alone.
   */
  public static final String FIELD_MANAGER = "weir";

  /**
   * What Weir puts before the rollout's name and a setHeaderRoute or setMirrorRoute step's name to
   * name its route in a VirtualService or HTTPRoute ({@code weir.ROLLOUT.NAME}): the routes so
   * named are Weir's, and only those.
   */
  public static final String NAMED_ROUTE_PREFIX = "weir.";

  /** The field manager of the kubectl plugin's patches (promote, abort, pause...). */
  public static final String PLUGIN_FIELD_MANAGER = "kubectl-weir";

  /** The component named as the source of Weir's Events. */
  public static final String EVENT_SOURCE = "weir";

  /**
   * The label that ties a revision's pods, ReplicaSet, Service selectors, DestinationRule subsets
   * and AnalysisRuns to one pod-template hash.
   */
  public static final String POD_TEMPLATE_HASH_LABEL = GROUP + "/pod-template-hash";

  /**
   * The label of a rollout's baseline: a ReplicaSet of the stable template run beside the canary
   * for metrics judged by comparison, and its pods (which carry no pod-template hash, so that the
   * stable Service does not select them). The rollout's baselineService selects it.
   */
  public static final String BASELINE_LABEL = GROUP + "/baseline";

  /**
   * The annotation of a baseline's pod template naming the canary (its pod-template hash) it runs
   * beside: a new revision gets a fresh baseline.
   */
  public static final String BASELINE_FOR_ANNOTATION = GROUP + "/baseline-for";

  /** The label naming the Rollout an AnalysisRun judges for. */
  public static final String ROLLOUT_LABEL = GROUP + "/rollout";

  /**
   * The label naming where in a release an AnalysisRun runs: {@code background}, {@code step-2},
   * {@code pre-promotion}, {@code post-promotion}.
   */
  public static final String ANALYSIS_SITE_LABEL = GROUP + "/analysis";

  /** The annotation numbering a Rollout's ReplicaSets, increasing with each new template. */
  public static final String REVISION_ANNOTATION = GROUP + "/revision";

  /**
   * The annotation recording when Weir will scale a ReplicaSet to zero: kept on the object, so that
   * a restarted controller honours the same delay.
   */
  public static final String SCALE_DOWN_AT_ANNOTATION = GROUP + "/scale-down-at";

  /** The annotation saying why an AnalysisRun was asked to stop measuring. */
  public static final String TERMINATE_REASON_ANNOTATION = GROUP + "/terminate-reason";

  /**
   * The label on a ConfigMap or Secret Weir copied for a revision (spec.configSnapshots), naming
   * the ConfigMap or Secret it copies; the copy also carries {@link #ROLLOUT_LABEL}.
   */
  public static final String CONFIG_SNAPSHOT_OF_LABEL = GROUP + "/config-snapshot-of";

  /**
   * The label by which a Secret's owner opts it in to spec.configSnapshots, with the value {@value
   * #CONFIG_SNAPSHOT_OPT_IN}, as {@link #ANALYSIS_SECRET_LABEL} opts one in to analysis: Weir lists
   * and watches only the Secrets carrying it, so it copies (and reads) no other. Weir's copies
   * carry it too, to stay in that informer's view.
   */
  public static final String CONFIG_SNAPSHOT_LABEL = GROUP + "/config-snapshot";

  /** The value of {@link #CONFIG_SNAPSHOT_LABEL} that opts a Secret in. */
  public static final String CONFIG_SNAPSHOT_OPT_IN = "true";

  /**
   * Weir's finalizer on every rollout: deleting one with spec.workloadRef first hands the service
   * back to the Deployment (docs/migration.md), and only then do its ReplicaSets go; any other is
   * let go at once.
   */
  public static final String FINALIZER = "rollouts." + GROUP + "/finalizer";

  /**
   * The label by which a Secret opts in to being read for analysis ({@code secretKeyRef} args,
   * Prometheus credentials), with the value {@value #ANALYSIS_SECRET_OPT_IN}. Weir reads no other
   * Secret: whoever may write a template must not reach, through Weir, a Secret its owner did not
   * offer.
   */
  public static final String ANALYSIS_SECRET_LABEL = GROUP + "/analysis-secret";

  /** The value of {@link #ANALYSIS_SECRET_LABEL} that opts a Secret in. */
  public static final String ANALYSIS_SECRET_OPT_IN = "true";

  private WellKnownNames() {}
}
