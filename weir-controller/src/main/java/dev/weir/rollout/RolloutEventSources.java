package dev.weir.rollout;

import dev.weir.analysis.OptedInSecrets;
import dev.weir.analysis.SecretPolicy;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.AnalysisTemplate;
import dev.weir.api.v1alpha1.AnalysisTemplateSpec;
import dev.weir.api.v1alpha1.ClusterAnalysisTemplate;
import dev.weir.api.v1alpha1.NotificationPolicy;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutAnalysis;
import dev.weir.api.v1alpha1.TrafficRouting;
import dev.weir.api.validation.GatewayApiRoutes;
import dev.weir.notify.NotificationLedger;
import dev.weir.notify.NotificationSources;
import dev.weir.rollout.plan.ConfigSnapshots;
import dev.weir.traffic.TrafficObjects;
import io.fabric8.istio.api.networking.v1beta1.DestinationRule;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * What wakes a rollout up besides its own changes: its ReplicaSets (pods becoming available), the
 * Deployment it takes its template from (a new template is a new revision; its pods count toward
 * the service's availability), its AnalysisRuns, the analysis templates it names or reaches through
 * includes, the opted-in Secrets its analyses read (a Secret gaining the label clears an
 * InvalidSpec at once), the ConfigMaps and opted-in Secrets it snapshots (spec.configSnapshots),
 * and the Services, VirtualServices, DestinationRules, HTTPRoutes and GRPCRoutes it names (a GitOps
 * sync resetting a weight or a selector is put right on the next reconcile). The routers read these
 * last from the informers' caches ({@link CachedTrafficObjects}). The Istio and Gateway API kinds
 * are watched only where their CRDs are installed; without them Weir reads them from the API server
 * on every reconcile.
 */
record RolloutEventSources(
    InformerEventSource<ReplicaSet, Rollout> replicaSets,
    InformerEventSource<AnalysisRun, Rollout> analysisRuns,
    InformerEventSource<AnalysisTemplate, Rollout> templates,
    InformerEventSource<ClusterAnalysisTemplate, Rollout> clusterTemplates,
    InformerEventSource<Secret, Rollout> secrets,
    Optional<InformerEventSource<NotificationPolicy, Rollout>> policies,
    InformerEventSource<ConfigMap, Rollout> ledgers,
    InformerEventSource<Deployment, Rollout> deployments,
    InformerEventSource<ConfigMap, Rollout> configMaps,
    InformerEventSource<Secret, Rollout> snapshotSecrets,
    Map<Class<?>, InformerEventSource<?, Rollout>> traffic,
    List<EventSource<?, Rollout>> all) {

  private static final Logger LOG = Logger.getLogger(RolloutEventSources.class);
  private static final String REFERENCES = "weir-references";
  // Its own index key: a Secret named by an analysis arg is another reference than a snapshot's.
  private static final String SNAPSHOT_SECRET = "SnapshotSecret";

  /** The label selector of the informer of Secrets offered to snapshots. */
  static final String SNAPSHOT_SECRETS_SELECTOR =
      WellKnownNames.CONFIG_SNAPSHOT_LABEL + "=" + WellKnownNames.CONFIG_SNAPSHOT_OPT_IN;

  private static final List<String> TRAFFIC_KINDS =
      List.of("Service", "VirtualService", "DestinationRule", "HTTPRoute", "GRPCRoute");

  static RolloutEventSources create(EventSourceContext<Rollout> context) {
    context.getPrimaryCache().addIndexer(REFERENCES, RolloutEventSources::references);
    var sources = new ArrayList<EventSource<?, Rollout>>();
    var replicaSets =
        new InformerEventSource<>(
            configuration(context, ReplicaSet.class, "replicasets")
                .withLabelSelector(WellKnownNames.POD_TEMPLATE_HASH_LABEL)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Rollout.class))
                .build(),
            context);
    sources.add(replicaSets);
    var analysisRuns =
        new InformerEventSource<>(
            configuration(context, AnalysisRun.class, "analysisruns")
                .withLabelSelector(WellKnownNames.ROLLOUT_LABEL)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Rollout.class))
                .build(),
            context);
    sources.add(analysisRuns);
    // The template sources find includers in each other's caches, once both exist.
    var knownTemplates = new TemplateCaches();
    var templates = templates(context, AnalysisTemplate.class, "analysistemplates", knownTemplates);
    sources.add(templates);
    var clusterTemplates =
        templates(
            context, ClusterAnalysisTemplate.class, "clusteranalysistemplates", knownTemplates);
    sources.add(clusterTemplates);
    knownTemplates.namespaced = templates;
    knownTemplates.clusterScoped = clusterTemplates;
    var secrets = secrets(context, knownTemplates);
    sources.add(secrets);
    // The objects the routers read, by kind: a reconcile reads them from these caches.
    var traffic = new HashMap<Class<?>, InformerEventSource<?, Rollout>>();
    traffic.put(Service.class, referenced(context, Service.class, "services"));
    var deployments = referenced(context, Deployment.class, "deployments");
    sources.add(deployments);
    // The ConfigMaps the templates of rollouts with spec.configSnapshots reference, and their
    // copies: a change of one is a new revision.
    var configMaps = referenced(context, ConfigMap.class, "configmaps");
    sources.add(configMaps);
    // Secrets only as their owners offered them to snapshots, and Weir's copies of them: a second
    // informer, since one label selector cannot ask for either of two labels.
    var snapshotSecrets = snapshotSecrets(context);
    sources.add(snapshotSecrets);
    if (installed(context, "virtualservices.networking.istio.io")) {
      traffic.put(
          VirtualService.class, referenced(context, VirtualService.class, "virtualservices"));
    }
    if (installed(context, "destinationrules.networking.istio.io")) {
      traffic.put(
          DestinationRule.class, referenced(context, DestinationRule.class, "destinationrules"));
    }
    if (installed(context, "httproutes.gateway.networking.k8s.io")) {
      traffic.put(HTTPRoute.class, referenced(context, HTTPRoute.class, "httproutes"));
    }
    if (installed(context, "grpcroutes.gateway.networking.k8s.io")) {
      traffic.put(GRPCRoute.class, referenced(context, GRPCRoute.class, "grpcroutes"));
    }
    sources.addAll(traffic.values());
    // Notification policies and ledgers wake no rollout: they are read when a rollout's events
    // are told. Without the policies' CRD (an upgrade that skipped it) nothing is told.
    Optional<InformerEventSource<NotificationPolicy, Rollout>> policies = Optional.empty();
    if (installed(context, "notificationpolicies." + WellKnownNames.GROUP)) {
      policies =
          Optional.of(unmapped(context, NotificationPolicy.class, "notificationpolicies", null));
      sources.add(policies.get());
    } else {
      LOG.warnf("the NotificationPolicy CRD is not installed: no notifications are sent");
    }
    var ledgers =
        unmapped(
            context, ConfigMap.class, "notification-ledgers", NotificationLedger.LABEL + "=true");
    sources.add(ledgers);
    return new RolloutEventSources(
        replicaSets,
        analysisRuns,
        templates,
        clusterTemplates,
        secrets,
        policies,
        ledgers,
        deployments,
        configMaps,
        snapshotSecrets,
        Map.copyOf(traffic),
        sources);
  }

  /**
   * An informer's configuration, its cache trimmed of what Weir never reads ({@link
   * TrimmedItemStore}) when it watches all namespaces.
   */
  private static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> configuration(
      EventSourceContext<Rollout> context, Class<R> kind, String name) {
    var builder = InformerEventSourceConfiguration.from(kind, Rollout.class).withName(name);
    if (InformerConfiguration.allNamespacesWatched(
        context.getControllerConfiguration().getEffectiveNamespaces())) {
      builder.withItemStore(new TrimmedItemStore<>());
    }
    return builder;
  }

  private static <R extends HasMetadata> InformerEventSource<R, Rollout> unmapped(
      EventSourceContext<Rollout> context, Class<R> kind, String name, String labelSelector) {
    return new InformerEventSource<>(
        configuration(context, kind, name)
            .withLabelSelector(labelSelector)
            .withSecondaryToPrimaryMapper(object -> Set.of())
            .build(),
        context);
  }

  /** What the notifier reads: policies, opted-in Secrets, ledgers, from these informers. */
  NotificationSources notificationSources() {
    var secrets = optedInSecrets();
    return new NotificationSources() {
      @Override
      public List<NotificationPolicy> policies(String namespace) {
        return policies.map(p -> p.list(namespace).toList()).orElse(List.of());
      }

      @Override
      public Optional<NotificationPolicy> policy(String namespace, String name) {
        return policies.flatMap(p -> p.get(new ResourceID(name, namespace)));
      }

      @Override
      public Optional<String> secret(String namespace, String name, String key) {
        return secrets.find(namespace, name).flatMap(s -> OptedInSecrets.value(s, key));
      }

      @Override
      public Optional<ConfigMap> ledger(String namespace, String name) {
        return ledgers.get(new ResourceID(name, namespace));
      }
    };
  }

  /**
   * The other rollouts of its namespace that name one of the Services, VirtualServices or
   * DestinationRules a rollout names, from the informer's index.
   */
  static Set<Rollout> namingTheSameTraffic(Context<Rollout> context, Rollout rollout) {
    var cache = context.getPrimaryCache();
    return references(rollout).stream()
        .filter(k -> TRAFFIC_KINDS.stream().anyMatch(kind -> k.startsWith(kind + "/")))
        .flatMap(k -> cache.byIndex(REFERENCES, k).stream())
        .filter(r -> !ResourceID.fromResource(r).equals(ResourceID.fromResource(rollout)))
        .collect(Collectors.toSet());
  }

  /**
   * The Services, VirtualServices, DestinationRules and routes the routers read, from the caches.
   */
  TrafficObjects trafficObjects(KubernetesClient client) {
    return new CachedTrafficObjects(traffic, client);
  }

  /** The Deployment a rollout's workloadRef names, from the informer's cache. */
  Optional<Deployment> workload(Rollout rollout) {
    var ref = rollout.getSpec() == null ? null : rollout.getSpec().workloadRef;
    if (ref == null || ref.name == null) {
      return Optional.empty();
    }
    return deployments.get(new ResourceID(ref.name, rollout.getMetadata().getNamespace()));
  }

  /** A ConfigMap of the rollout's namespace, from the informer's cache. */
  Optional<ConfigMap> configMap(Rollout rollout, String name) {
    return configMaps.get(new ResourceID(name, rollout.getMetadata().getNamespace()));
  }

  /**
   * A Secret of the rollout's namespace offered to snapshots (or one of Weir's copies), from the
   * informer's cache: no other Secret is there.
   */
  Optional<Secret> snapshotSecret(Rollout rollout, String name) {
    return snapshotSecrets.get(new ResourceID(name, rollout.getMetadata().getNamespace()));
  }

  /** The opted-in Secrets, for the analyses' args and credentials. */
  OptedInSecrets optedInSecrets() {
    return OptedInSecrets.of(secrets);
  }

  /**
   * Opted-in Secrets wake the rollouts of their namespace that name them in their analysis args or
   * as the credentials of spec.gitWriteBack, and those that reach a template naming them (in its
   * args or credentials), directly or through includes.
   */
  private static InformerEventSource<Secret, Rollout> secrets(
      EventSourceContext<Rollout> context, TemplateCaches known) {
    Function<Secret, Set<ResourceID>> toRollouts =
        secret -> {
          String namespace = secret.getMetadata().getNamespace();
          String name = secret.getMetadata().getName();
          var keys = new ArrayList<String>();
          keys.add(key("Secret", namespace, name));
          TemplateIncluders.readingSecret(namespace, name, known.all())
              .forEach(t -> keys.add(templateKey(t)));
          return keys.stream()
              .flatMap(k -> context.getPrimaryCache().byIndex(REFERENCES, k).stream())
              .filter(r -> namespace.equals(r.getMetadata().getNamespace()))
              .map(ResourceID::fromResource)
              .collect(Collectors.toSet());
        };
    return OptedInSecrets.informer(context, Rollout.class, toRollouts::apply);
  }

  /**
   * Secrets labelled {@value WellKnownNames#CONFIG_SNAPSHOT_LABEL}=true wake the rollouts whose
   * snapshotted templates name them.
   */
  private static InformerEventSource<Secret, Rollout> snapshotSecrets(
      EventSourceContext<Rollout> context) {
    Function<Secret, Set<ResourceID>> toRollouts =
        secret ->
            context
                .getPrimaryCache()
                .byIndex(
                    REFERENCES,
                    key(
                        SNAPSHOT_SECRET,
                        secret.getMetadata().getNamespace(),
                        secret.getMetadata().getName()))
                .stream()
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    return new InformerEventSource<>(
        configuration(context, Secret.class, "snapshot-secrets")
            .withLabelSelector(SNAPSHOT_SECRETS_SELECTOR)
            .withSecondaryToPrimaryMapper(toRollouts::apply)
            .build(),
        context);
  }

  private static String templateKey(TemplateIncluders.Template template) {
    return template.clusterScoped()
        ? key("ClusterAnalysisTemplate", null, template.name())
        : key("AnalysisTemplate", template.namespace(), template.name());
  }

  private static <R extends HasMetadata> InformerEventSource<R, Rollout> referenced(
      EventSourceContext<Rollout> context, Class<R> kind, String name) {
    Function<R, Set<ResourceID>> toRollouts =
        object ->
            context
                .getPrimaryCache()
                .byIndex(
                    REFERENCES,
                    key(
                        kind.getSimpleName(),
                        object.getMetadata().getNamespace(),
                        object.getMetadata().getName()))
                .stream()
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    return new InformerEventSource<>(
        configuration(context, kind, name).withSecondaryToPrimaryMapper(toRollouts::apply).build(),
        context);
  }

  /** Both kinds of template in the informers' caches. */
  private static final class TemplateCaches {
    volatile InformerEventSource<AnalysisTemplate, Rollout> namespaced;
    volatile InformerEventSource<ClusterAnalysisTemplate, Rollout> clusterScoped;

    List<CustomResource<AnalysisTemplateSpec, ?>> all() {
      var all = new ArrayList<CustomResource<AnalysisTemplateSpec, ?>>();
      if (namespaced != null) {
        namespaced.list(t -> true).forEach(all::add);
      }
      if (clusterScoped != null) {
        clusterScoped.list(t -> true).forEach(all::add);
      }
      return all;
    }
  }

  /**
   * Templates wake the rollouts that name them and those that name a template including them (see
   * {@link TemplateIncluders}).
   */
  private static <R extends CustomResource<AnalysisTemplateSpec, ?>>
      InformerEventSource<R, Rollout> templates(
          EventSourceContext<Rollout> context, Class<R> kind, String name, TemplateCaches known) {
    Function<R, Set<ResourceID>> toRollouts =
        template ->
            TemplateIncluders.reaching(TemplateIncluders.Template.of(template), known.all())
                .stream()
                .flatMap(
                    t -> context.getPrimaryCache().byIndex(REFERENCES, templateKey(t)).stream())
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    return new InformerEventSource<>(
        configuration(context, kind, name).withSecondaryToPrimaryMapper(toRollouts::apply).build(),
        context);
  }

  /** The objects a rollout names, as index keys. */
  private static List<String> references(Rollout rollout) {
    var keys = new ArrayList<String>();
    var workloadRef = rollout.getSpec() == null ? null : rollout.getSpec().workloadRef;
    if (workloadRef != null && workloadRef.name != null) {
      keys.add(key("Deployment", rollout.getMetadata().getNamespace(), workloadRef.name));
    }
    if (rollout.getSpec() != null && Boolean.TRUE.equals(rollout.getSpec().configSnapshots)) {
      ConfigSnapshots.referenced(rollout.getSpec().template)
          .forEach(name -> keys.add(key("ConfigMap", rollout.getMetadata().getNamespace(), name)));
      ConfigSnapshots.referencedSecrets(rollout.getSpec().template)
          .forEach(
              name -> keys.add(key(SNAPSHOT_SECRET, rollout.getMetadata().getNamespace(), name)));
    }
    var git = rollout.getSpec() == null ? null : rollout.getSpec().gitWriteBack;
    if (git != null && git.credentialsSecret != null) {
      // Labelled (or fixed) later, the write-back's Secret ends the InvalidSpec it caused.
      keys.add(key("Secret", rollout.getMetadata().getNamespace(), git.credentialsSecret));
    }
    var strategy = rollout.getSpec() == null ? null : rollout.getSpec().strategy;
    if (strategy == null || (strategy.canary == null && strategy.blueGreen == null)) {
      return keys;
    }
    String ns = rollout.getMetadata().getNamespace();
    var analyses = new ArrayList<RolloutAnalysis>();
    String[] services;
    TrafficRouting routing;
    if (strategy.blueGreen != null) {
      var blueGreen = strategy.blueGreen;
      services = new String[] {blueGreen.activeService, blueGreen.previewService};
      routing = blueGreen.trafficRouting;
      Stream.of(blueGreen.prePromotionAnalysis, blueGreen.postPromotionAnalysis)
          .filter(a -> a != null)
          .forEach(analyses::add);
    } else {
      var canary = strategy.canary;
      services = new String[] {canary.stableService, canary.canaryService};
      routing = canary.trafficRouting;
      if (canary.analysis != null) {
        analyses.add(canary.analysis);
      }
      if (canary.steps != null) {
        canary.steps.stream()
            .filter(s -> s.analysis != null)
            .forEach(s -> analyses.add(s.analysis));
      }
    }
    for (var analysis : analyses) {
      SecretPolicy.secretsNamed(analysis.args, List.of())
          .forEach(secret -> keys.add(key("Secret", ns, secret)));
      if (analysis.templates != null) {
        for (var ref : analysis.templates) {
          keys.add(
              Boolean.TRUE.equals(ref.clusterScope)
                  ? key("ClusterAnalysisTemplate", null, ref.templateName)
                  : key("AnalysisTemplate", ns, ref.templateName));
        }
      }
    }
    for (String service : services) {
      if (service != null) {
        keys.add(key("Service", ns, service));
      }
    }
    var istio = routing == null ? null : routing.istio;
    if (istio != null) {
      if (istio.virtualService != null) {
        keys.add(key("VirtualService", ns, istio.virtualService.name));
      }
      if (istio.virtualServices != null) {
        istio.virtualServices.forEach(vs -> keys.add(key("VirtualService", ns, vs.name)));
      }
      if (istio.destinationRule != null) {
        keys.add(key("DestinationRule", ns, istio.destinationRule.name));
      }
    }
    var gatewayApi = routing == null ? null : routing.gatewayAPI;
    if (gatewayApi != null) {
      GatewayApiRoutes.references("", gatewayApi).stream()
          .filter(ref -> ref.route() != null)
          .forEach(ref -> keys.add(key(ref.kind(), ns, ref.route().name)));
    }
    return keys;
  }

  private static String key(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }

  private static boolean installed(EventSourceContext<Rollout> context, String crd) {
    try {
      return context
              .getClient()
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd)
              .get()
          != null;
    } catch (KubernetesClientException e) {
      LOG.warnf("cannot tell whether %s is installed (%s); not watching it", crd, e.getMessage());
      return false;
    }
  }
}
