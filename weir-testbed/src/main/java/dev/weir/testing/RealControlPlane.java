package dev.weir.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.weir.api.WellKnownNames;
import dev.weir.api.v1alpha1.AnalysisRun;
import dev.weir.api.v1alpha1.AnalysisTemplate;
import dev.weir.api.v1alpha1.NotificationPolicy;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.notify.NotificationLedger;
import io.fabric8.istio.api.networking.v1beta1.DestinationRule;
import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Kubernetes control plane for the tests: etcd, kube-apiserver and kube-controller-manager
 * (ReplicaSet, garbage-collector, namespace... controllers) started by {@code hack/kube-up.sh} on
 * loopback ports, with Weir's CRDs from {@code crds/}, Istio's networking CRDs and the Gateway
 * API's HTTPRoute installed, and an identity for Weir's controller bound to the ClusterRole the
 * Helm chart ships (built from {@code helm/weir/files/rbac-rules.yaml} and {@code
 * secret-rules.yaml}, nothing added).
 *
 * <p>Started once per test JVM by the first {@link #shared()} and shared by every test class; a
 * shutdown hook stops it when the JVM ends, whether the tests passed or not, and a watchdog process
 * does the same if the JVM is killed before its hooks run. If it cannot start, {@link #shared()}
 * throws with the tail of the failing component's log, so the tests fail; they are skipped only on
 * request, with {@code -Dweir.tier.real=skip}.
 */
public final class RealControlPlane {

  /** {@code -Dweir.tier.real=skip} skips the tier (local runs only; CI never sets it). */
  public static final String TIER_PROPERTY = "weir.tier.real";

  /**
   * {@code -Dweir.tier.real.keep=true} keeps the cluster folder (logs, etcd data) after the run.
   */
  public static final String KEEP_PROPERTY = "weir.tier.real.keep";

  /**
   * Weir's controller: the user name the API server gives the chart's ServiceAccount, so the
   * binding below has the chart's shape (a ServiceAccount subject).
   */
  public static final String OPERATOR_NAMESPACE = "weir-system";

  public static final String OPERATOR_ACCOUNT = "weir";

  public static final String OPERATOR_USER =
      "system:serviceaccount:" + OPERATOR_NAMESPACE + ":" + OPERATOR_ACCOUNT;

  public static final String RBAC_RULES = "helm/weir/files/rbac-rules.yaml";

  /** The chart's rule for Secrets, in its ClusterRole unless {@code rbac.namespacedSecrets}. */
  public static final String SECRET_RULES = "helm/weir/files/secret-rules.yaml";

  private static final Duration PROVISION_TIMEOUT = Duration.ofMinutes(40);
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** Istio's networking CRDs; Weir's own are every file in crds/. */
  private static RealControlPlane shared;

  private static RuntimeException failure;

  private final Path dir;
  private final Map<String, String> settings;
  private final Path hack;
  private final List<KubernetesClient> clients = new ArrayList<>();
  private final Map<String, Duration> timings = new LinkedHashMap<>();
  private KubernetesClient admin;
  private KubernetesClient operator;
  private Path operatorKubeconfig;

  private RealControlPlane(Path dir, Map<String, String> settings) {
    this.dir = dir;
    this.settings = Map.copyOf(settings);
    this.hack = Manifests.repo("hack").toAbsolutePath();
  }

  /**
   * The control plane of this JVM, started on first use. Skips the calling test class only under
   * {@code -Dweir.tier.real=skip}; otherwise throws when the control plane cannot start.
   */
  public static synchronized RealControlPlane shared() {
    return shared(Map.of());
  }

  /**
   * The control plane of this JVM, started on first use with {@code settings}: the {@code
   * WEIR_KUBE_*} knobs of hack/kube-up.sh (a benchmark turns the ReplicaSet controller off, say). A
   * JVM has one control plane, so asking again with other settings fails.
   */
  public static synchronized RealControlPlane shared(Map<String, String> settings) {
    if (shared != null && !shared.settings.equals(settings)) {
      throw new IllegalStateException(
          "the control plane of this JVM runs with " + shared.settings + ", not " + settings);
    }
    if ("skip".equals(System.getProperty(TIER_PROPERTY))) {
      System.err.println(
          "[real-tier] SKIPPING the real control plane tier (-D" + TIER_PROPERTY + "=skip)");
      Assumptions.abort("real control plane tier skipped by -D" + TIER_PROPERTY + "=skip");
    }
    if (failure != null) {
      throw failure;
    }
    if (shared == null) {
      try {
        shared = start(settings);
      } catch (RuntimeException e) {
        failure = e;
        throw e;
      }
    }
    return shared;
  }

  private static RealControlPlane start(Map<String, String> settings) {
    Path dir;
    try {
      dir = Files.createTempDirectory("weir-real-tier-");
      Files.createDirectories(dir.resolve("test-logs"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var cluster = new RealControlPlane(dir, settings);
    // Registered before anything starts, so a half-started control plane is stopped too.
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "weir-real-tier-stop"));
    cluster.startWatchdog();
    long t0 = System.nanoTime();
    cluster.up();
    System.err.printf(
        "[real-tier] control plane ready in %.1f s (%s) in %s%n",
        (System.nanoTime() - t0) / 1e9, cluster.timings(), dir);
    return cluster;
  }

  private void up() {
    timed("provision", () -> run(PROVISION_TIMEOUT, "kube-provision.sh"));
    String kubeconfig = timed("kube-up", () -> lastLine(run(UP_TIMEOUT, "kube-up.sh", dir)));
    try {
      admin = client(Path.of(kubeconfig));
      timed("crds", this::installCrds);
      operator =
          timed(
              "operator identity", () -> identity(OPERATOR_USER, "weir-controller", chartRules()));
      operatorKubeconfig = dir.resolve(OPERATOR_USER + ".kubeconfig");
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "the real control plane did not get ready: "
              + e.getMessage()
              + "\nlast lines of kube-apiserver.log:\n"
              + logTail("kube-apiserver", 30),
          e);
    }
  }

  /** Cluster-admin (O=system:masters): what the scenario, a user or a GitOps tool does. */
  public KubernetesClient admin() {
    return admin;
  }

  /** Weir's controller, bound to exactly the chart's ClusterRole. */
  public KubernetesClient operator() {
    return operator;
  }

  /**
   * A client of Weir's controller identity that reaches the API server at {@code server} instead (a
   * relay in front of it, say); the API server's certificate names 127.0.0.1, so any loopback port
   * will do.
   */
  public KubernetesClient operatorVia(URI server) {
    var config = config(operatorKubeconfig);
    config.setMasterUrl(server.toString());
    return client(config);
  }

  /** Another client of Weir's controller identity, whose requests the interceptors see. */
  public KubernetesClient operator(Interceptor... interceptors) {
    return client(operatorKubeconfig, interceptors);
  }

  /** The kubeconfig of Weir's controller identity, for a controller run as its own process. */
  public Path operatorKubeconfig() {
    return operatorKubeconfig;
  }

  /**
   * The API server's audit log of every request for Secrets (JSON lines: user, verb, objectRef,
   * requestURI; metadata only), as hack/kube-up.sh configures it.
   */
  public Path auditLog() {
    return dir.resolve("logs").resolve("audit.log");
  }

  /** The cluster folder: {@code logs/} holds each component's log. */
  public Path dir() {
    return dir;
  }

  /** The rules of the chart's ClusterRole, read from the files the chart also reads. */
  public static List<PolicyRule> chartRules() {
    var rules = new ArrayList<>(rules(RBAC_RULES));
    rules.addAll(rules(SECRET_RULES));
    return rules;
  }

  /** The rules of one of the chart's rule files. */
  public static List<PolicyRule> rules(String file) {
    try (InputStream in = Files.newInputStream(Manifests.repo(file))) {
      return Serialization.unmarshal(in, new TypeReference<List<PolicyRule>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rules with {@code verb} taken away on {@code resource} of {@code apiGroup}, only there. */
  public static List<PolicyRule> without(
      List<PolicyRule> rules, String apiGroup, String resource, String verb) {
    var result = new ArrayList<PolicyRule>();
    for (var rule : rules) {
      if (!rule.getApiGroups().contains(apiGroup) || !rule.getResources().contains(resource)) {
        result.add(rule);
        continue;
      }
      var others = rule.getResources().stream().filter(r -> !r.equals(resource)).toList();
      if (!others.isEmpty()) {
        result.add(new PolicyRuleBuilder(rule).withResources(others).build());
      }
      var verbs = rule.getVerbs().stream().filter(v -> !v.equals(verb)).toList();
      if (!verbs.isEmpty()) {
        result.add(
            new PolicyRuleBuilder(rule).withResources(List.of(resource)).withVerbs(verbs).build());
      }
    }
    return result;
  }

  /**
   * A client for a new identity with a client certificate (from {@code hack/kube-user.sh}), bound
   * to a ClusterRole of the given rules; returns once the API server authorizes with it.
   * Interceptors see every request of the client (to count conflicts, say).
   */
  public KubernetesClient identity(
      String user, String clusterRole, List<PolicyRule> rules, Interceptor... interceptors) {
    Path kubeconfig =
        Path.of(
            lastLine(
                run(
                    Duration.ofSeconds(60),
                    "kube-user.sh",
                    dir,
                    user,
                    "system:serviceaccounts",
                    "system:serviceaccounts:" + OPERATOR_NAMESPACE)));
    admin
        .rbac()
        .clusterRoles()
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(clusterRole)
                .endMetadata()
                .withRules(rules)
                .build())
        .createOr(NonDeletingOperation::update);
    // A ServiceAccount subject, as the chart binds it: the API server matches it by user name.
    String[] parts = user.split(":");
    var binding =
        new ClusterRoleBindingBuilder()
            .withNewMetadata()
            .withName(clusterRole)
            .endMetadata()
            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole);
    if (user.startsWith("system:serviceaccount:") && parts.length == 4) {
      binding
          .addNewSubject()
          .withKind("ServiceAccount")
          .withNamespace(parts[2])
          .withName(parts[3])
          .endSubject();
    } else {
      binding
          .addNewSubject()
          .withKind("User")
          .withApiGroup("rbac.authorization.k8s.io")
          .withName(user)
          .endSubject();
    }
    admin
        .rbac()
        .clusterRoleBindings()
        .resource(binding.build())
        .createOr(NonDeletingOperation::update);
    var client = client(kubeconfig, interceptors);
    // RBAC is read from informer caches: wait until the binding is in effect.
    await("RBAC for " + user + " in effect")
        .atMost(READY_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> allowed(client, "weir.dev", "rollouts", "list"));
    return client;
  }

  /**
   * A kubeconfig for {@code system:serviceaccount:NAMESPACE:NAME} (a client certificate with the
   * service-account groups), with no binding made: it has what the installed manifests grant.
   */
  public Path serviceAccountKubeconfig(String namespace, String name) {
    return Path.of(
        lastLine(
            run(
                Duration.ofSeconds(60),
                "kube-user.sh",
                dir,
                "system:serviceaccount:" + namespace + ":" + name,
                "system:serviceaccounts",
                "system:serviceaccounts:" + namespace)));
  }

  /** Whether this client's identity may do {@code verb} on {@code resource}, cluster-wide. */
  public static boolean allowed(
      KubernetesClient client, String group, String resource, String verb) {
    var review =
        client
            .authorization()
            .v1()
            .selfSubjectAccessReview()
            .create(
                new SelfSubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withNewResourceAttributes()
                    .withGroup(group)
                    .withResource(resource)
                    .withVerb(verb)
                    .endResourceAttributes()
                    .endSpec()
                    .build());
    return Boolean.TRUE.equals(review.getStatus().getAllowed());
  }

  /** A client from a kubeconfig of this cluster, closed when the control plane stops. */
  public KubernetesClient client(Path kubeconfig, Interceptor... interceptors) {
    return client(config(kubeconfig), interceptors);
  }

  private static Config config(Path kubeconfig) {
    try {
      return Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized KubernetesClient client(Config config, Interceptor... interceptors) {
    var client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientBuilderConsumer(
                builder -> {
                  for (int i = 0; i < interceptors.length; i++) {
                    builder.addOrReplaceInterceptor("test-" + i, interceptors[i]);
                  }
                })
            .build();
    clients.add(client);
    return client;
  }

  /**
   * Removes what a scenario leaves in {@code namespace} (rollouts, Deployments, ReplicaSets, pods,
   * Services, VirtualServices, DestinationRules, HTTPRoutes, Events) and waits until it is gone;
   * keeps the namespace. Faster than deleting the namespace, whose controller waits out pod grace
   * periods.
   */
  public void clean(String namespace) {
    var c = admin;
    if (c.namespaces().withName(namespace).get() == null) {
      return;
    }
    c.autoscaling().v2beta2().horizontalPodAutoscalers().inNamespace(namespace).delete();
    c.apps().deployments().inNamespace(namespace).delete();
    // Weir, which would take its finalizer off, has stopped by now.
    for (var rollout : c.resources(Rollout.class).inNamespace(namespace).list().getItems()) {
      try {
        c.resource(rollout)
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
    c.resources(Rollout.class).inNamespace(namespace).delete();
    c.apps().replicaSets().inNamespace(namespace).delete();
    // No kubelet confirms the end of a bound pod: delete at once, as a kubelet would.
    c.pods().inNamespace(namespace).withGracePeriod(0).delete();
    c.services().inNamespace(namespace).delete();
    c.resources(VirtualService.class).inNamespace(namespace).delete();
    c.resources(DestinationRule.class).inNamespace(namespace).delete();
    c.resources(HTTPRoute.class).inNamespace(namespace).delete();
    c.resources(AnalysisRun.class).inNamespace(namespace).delete();
    c.resources(AnalysisTemplate.class).inNamespace(namespace).delete();
    c.resources(NotificationPolicy.class).inNamespace(namespace).delete();
    c.configMaps().inNamespace(namespace).withLabel(NotificationLedger.LABEL).delete();
    c.configMaps()
        .inNamespace(namespace)
        .withLabel(WellKnownNames.CONFIG_SNAPSHOT_OF_LABEL)
        .delete();
    c.v1().events().inNamespace(namespace).delete();
    try {
      await("namespace " + namespace + " emptied")
          .atMost(READY_TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                var left = leftIn(namespace);
                // The ReplicaSet controller may create a pod for a ReplicaSet being deleted, and
                // record an event for it.
                if (!left.isEmpty()) {
                  c.pods().inNamespace(namespace).withGracePeriod(0).delete();
                  c.v1().events().inNamespace(namespace).delete();
                }
                return left.isEmpty();
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "namespace " + namespace + " still holds " + leftIn(namespace), e);
    }
  }

  private List<String> leftIn(String namespace) {
    var c = admin;
    var left = new ArrayList<String>();
    Stream.of(
            c.resources(Rollout.class).inNamespace(namespace).list().getItems(),
            c.apps().replicaSets().inNamespace(namespace).list().getItems(),
            c.pods().inNamespace(namespace).list().getItems(),
            c.services().inNamespace(namespace).list().getItems(),
            c.resources(VirtualService.class).inNamespace(namespace).list().getItems(),
            c.resources(DestinationRule.class).inNamespace(namespace).list().getItems(),
            c.resources(HTTPRoute.class).inNamespace(namespace).list().getItems(),
            c.v1().events().inNamespace(namespace).list().getItems())
        .flatMap(List::stream)
        .map(o -> o.getKind() + " " + o.getMetadata().getName())
        .forEach(left::add);
    return left;
  }

  /** A process of the control plane, by the name hack/kube-up.sh gives its pid and log files. */
  public enum Component {
    ETCD("etcd"),
    API_SERVER("kube-apiserver"),
    CONTROLLER_MANAGER("kube-controller-manager");

    private final String file;

    Component(String file) {
      this.file = file;
    }

    @Override
    public String toString() {
      return file;
    }
  }

  /**
   * Kills a component with SIGKILL, as the kernel's OOM killer or a crash would end it, and returns
   * when it is gone. Its clients find its port closed until {@link #restart} brings it back there.
   */
  public void kill(Component component) {
    var process = process(component);
    process.destroyForcibly();
    try {
      process.onExit().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(component + " still running after SIGKILL", e);
    }
  }

  /**
   * Starts the components that are not running (hack/kube-up.sh starts only those) on the ports
   * they had, and returns when each answers its health check again.
   */
  public void restart() {
    run(UP_TIMEOUT, "kube-up.sh", dir);
  }

  /** Stops a component with SIGSTOP: it keeps its connections and its port, and answers nothing. */
  public void pause(Component component) {
    signal(component, "STOP");
  }

  /** Lets a paused component go on (SIGCONT). */
  public void resume(Component component) {
    signal(component, "CONT");
  }

  /** Whether the component is stopped by a signal (state T in /proc/PID/stat). */
  public boolean paused(Component component) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid(component)), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Undoes whatever faults a story left: every paused component resumed, every killed one started
   * again. The next story finds the whole control plane answering.
   */
  public void heal() {
    boolean down = false;
    for (Component component : Component.values()) {
      var pid = pidIfRunning(component);
      if (pid.isEmpty()) {
        down = true;
      } else if (paused(component)) {
        resume(component);
      }
    }
    if (down) {
      restart();
    }
  }

  private void signal(Component component, String signal) {
    try {
      var kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid(component))).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + component + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private ProcessHandle process(Component component) {
    return ProcessHandle.of(pid(component))
        .orElseThrow(() -> new IllegalStateException(component + " is not running"));
  }

  private long pid(Component component) {
    return pidIfRunning(component)
        .orElseThrow(() -> new IllegalStateException(component + " is not running"));
  }

  /** The pid kube-up.sh recorded, while that process lives and is this cluster's component. */
  private java.util.Optional<Long> pidIfRunning(Component component) {
    try {
      long pid =
          Long.parseLong(Files.readString(dir.resolve("pids").resolve(component + ".pid")).strip());
      String cmdline =
          Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
      return cmdline.contains(dir + "/") ? java.util.Optional.of(pid) : java.util.Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  /** The last lines of a component's log (etcd, kube-apiserver, kube-controller-manager). */
  public String logTail(String component, int lines) {
    return tail(dir.resolve("logs").resolve(component + ".log"), lines);
  }

  private void installCrds() {
    var crds = Manifests.crds();
    for (HasMetadata object : crds) {
      admin.resource(object).create();
    }
    for (HasMetadata object : crds) {
      String name = object.getMetadata().getName();
      var crd = admin.apiextensions().v1().customResourceDefinitions().withName(name);
      try {
        crd.waitUntilCondition(RealControlPlane::established, 60, TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "CRD " + name + " not Established: " + Serialization.asYaml(crd.get()), e);
      }
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    // Right after creation the status may be there without conditions yet.
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * Runs a script of hack/ and returns its stdout; its stderr goes to test-logs/ and, when the
   * script fails, its tail (for kube-up.sh: the failing component's log) into the exception.
   */
  private String run(Duration timeout, String script, Object... args) {
    var command = new ArrayList<String>();
    command.add(hack.resolve(script).toString());
    for (Object arg : args) {
      command.add(arg.toString());
    }
    Path out = dir.resolve("test-logs").resolve(script + "." + System.nanoTime() + ".out");
    Path err = dir.resolve("test-logs").resolve(script + ".log");
    try {
      var builder = new ProcessBuilder(command);
      builder.environment().putAll(settings);
      var process =
          builder
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(
            "the real control plane did not start: hack/"
                + script
                + " still running after "
                + timeout
                + "; last lines of its output:\n"
                + tail(err, 40));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "the real control plane did not start: hack/"
                + script
                + " exited with "
                + process.exitValue()
                + "; last lines of its output:\n"
                + tail(err, 60));
      }
      return Files.readString(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running hack/" + script, e);
    }
  }

  /**
   * Stops the control plane even if this JVM is killed without running its shutdown hooks: a
   * detached shell waits for the JVM to end, then runs kube-down.sh (a no-op if the hook did).
   */
  private void startWatchdog() {
    String script =
        "tail --pid=\"$1\" -f /dev/null; \"$2\" \"$3\" >/dev/null 2>&1; "
            + "[ \"$4\" = true ] || rm -rf \"$3\"";
    try {
      new ProcessBuilder(
              "setsid",
              "bash",
              "-c",
              script,
              "weir-real-tier-watchdog",
              Long.toString(ProcessHandle.current().pid()),
              hack.resolve("kube-down.sh").toString(),
              dir.toString(),
              Boolean.toString(Boolean.getBoolean(KEEP_PROPERTY)))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the clients, stops the components, deletes the folder (unless asked to keep it). */
  private synchronized void stop() {
    clients.forEach(KubernetesClient::close);
    try {
      var process =
          new ProcessBuilder(hack.resolve("kube-down.sh").toString(), dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(
                      dir.resolve("test-logs").resolve("kube-down.sh.log").toFile()))
              .start();
      if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
        System.err.println(
            "[real-tier] kube-down.sh "
                + dir
                + " failed:\n"
                + tail(dir.resolve("test-logs").resolve("kube-down.sh.log"), 20));
        return;
      }
    } catch (IOException e) {
      System.err.println("[real-tier] could not run kube-down.sh " + dir + ": " + e);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (Boolean.getBoolean(KEEP_PROPERTY)) {
      System.err.println("[real-tier] stopped; kept " + dir);
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("[real-tier] could not delete " + dir + ": " + e);
    }
    System.err.println("[real-tier] stopped and removed " + dir);
  }

  private void timed(String what, Runnable step) {
    timed(
        what,
        () -> {
          step.run();
          return null;
        });
  }

  private <T> T timed(String what, java.util.function.Supplier<T> step) {
    long t0 = System.nanoTime();
    try {
      return step.get();
    } finally {
      timings.put(what, Duration.ofNanos(System.nanoTime() - t0));
    }
  }

  /** How long each start-up step took, e.g. {@code provision 0.0 s, kube-up 5.1 s, ...}. */
  public String timings() {
    var parts = new ArrayList<String>();
    timings.forEach((k, v) -> parts.add(String.format("%s %.1f s", k, v.toMillis() / 1000.0)));
    return String.join(", ", parts);
  }

  private static String lastLine(String output) {
    var lines = output.strip().lines().toList();
    if (lines.isEmpty()) {
      throw new IllegalStateException("no output where a path was expected");
    }
    return lines.get(lines.size() - 1);
  }

  private static String tail(Path file, int lines) {
    try {
      var all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no " + file + ": " + e.getMessage() + ")";
    }
  }
}
