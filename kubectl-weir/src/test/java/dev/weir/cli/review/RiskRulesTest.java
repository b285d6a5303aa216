package dev.weir.cli.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The risky changes, one pair of manifests each: what the pull request changes (an edit of the base
 * file), and the one line the review prints for it, at the line of the head file a reviewer reads.
 */
class RiskRulesTest {

  static final String ROLLOUT =
      """
      apiVersion: weir.dev/v1alpha1
      kind: Rollout
      metadata:
        name: checkout
        namespace: shop
      spec:
        replicas: 5
        selector:
          matchLabels: {app: checkout}
        template:
          metadata:
            labels: {app: checkout}
          spec:
            containers:
              - name: app
                image: registry.example/checkout:2.4.1
                resources:
                  limits: {cpu: "1", memory: 512Mi}
                readinessProbe:
                  httpGet: {path: /ready, port: 8080}
                livenessProbe:
                  httpGet: {path: /live, port: 8080}
        strategy:
          canary:
            stableService: checkout-stable
            canaryService: checkout-canary
            analysis:
              startingStep: 1
              templates: [{templateName: istio-success-rate}]
            steps:
              - setWeight: 10
              - pause: {duration: 2m}
              - analysis:
                  templates: [{templateName: istio-p99-latency}]
              - setWeight: 50
              - pause: {duration: 5m}
              - pause: {}
      """;

  static final String TEMPLATE =
      """
      apiVersion: weir.dev/v1alpha1
      kind: AnalysisTemplate
      metadata:
        name: istio-success-rate
        namespace: shop
      spec:
        metrics:
          - name: success-rate
            interval: 30s
            successCondition: "result[0] >= 0.99"
            failureCondition: "result[0] < 0.9"
            provider:
              prometheus:
                address: http://prometheus.monitoring:9090
                query: sum(rate(istio_requests_total[1m]))
          - name: p99
            successCondition: "result[0] < 500"
            provider:
              prometheus:
                address: http://prometheus.monitoring:9090
                query: histogram_quantile(0.99, rate(istio_request_duration_milliseconds_bucket[1m]))
      """;

  static final String APPLICATION =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata:
        name: checkout
        namespace: argocd
      spec:
        project: default
        syncPolicy:
          automated: {prune: false, selfHeal: false}
      """;

  static final String FLUX =
      """
      apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: checkout
        namespace: flux-system
      spec:
        path: ./deploy
        prune: false
      """;

  static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: cart
      spec:
        replicas: 3
        selector:
          matchLabels: {app: cart}
        template:
          metadata:
            labels: {app: cart}
          spec:
            containers:
              - name: cart
                image: registry.example/cart:1.0
      """;

  record Case(String base, String head, String expected) {}

  static Stream<Arguments> risks() {
    return Stream.of(
        Arguments.of(
            "a threshold loosened",
            TEMPLATE,
            TEMPLATE.replace(">= 0.99", ">= 0.9"),
            "x.yaml:10: warning: AnalysisTemplate shop/istio-success-rate: metric success-rate:"
                + " successCondition loosened, `result[0] >= 0.99` → `result[0] >= 0.9`: a worse"
                + " canary now passes"),
        Arguments.of(
            "a failure condition loosened",
            TEMPLATE,
            TEMPLATE.replace("< 0.9\"", "< 0.5\""),
            "x.yaml:11: warning: AnalysisTemplate shop/istio-success-rate: metric success-rate:"
                + " failureCondition loosened, `result[0] < 0.9` → `result[0] < 0.5`: a worse"
                + " canary now has to be worse still to fail"),
        Arguments.of(
            "a condition changed beyond telling",
            TEMPLATE,
            TEMPLATE.replace("result[0] < 500", "result[0] < 500 || size(result) == 0"),
            "x.yaml:17: info: AnalysisTemplate shop/istio-success-rate: metric p99:"
                + " successCondition changed, `result[0] < 500` → `result[0] < 500 ||"
                + " size(result) == 0`: check that it is not looser"),
        Arguments.of(
            "a tightened threshold is no risk",
            TEMPLATE,
            TEMPLATE.replace(">= 0.99", ">= 0.995"),
            null),
        Arguments.of(
            "failureLimit raised",
            TEMPLATE,
            TEMPLATE.replace("interval: 30s\n", "interval: 30s\n      failureLimit: 3\n"),
            "x.yaml:10: warning: AnalysisTemplate shop/istio-success-rate: metric success-rate:"
                + " failureLimit raised from 0 to 3: the release goes on after 3 failed"
                + " measurements"),
        Arguments.of(
            "dryRun turned on",
            TEMPLATE,
            TEMPLATE.replace("interval: 30s\n", "interval: 30s\n      dryRun: true\n"),
            "x.yaml:10: high: AnalysisTemplate shop/istio-success-rate: metric success-rate: dryRun"
                + " is turned on: it is still measured, but a failure no longer stops the"
                + " release"),
        Arguments.of(
            "a metric removed",
            TEMPLATE,
            TEMPLATE.substring(0, TEMPLATE.indexOf("  - name: p99")),
            "x.yaml:7: high: AnalysisTemplate shop/istio-success-rate: metric p99 is removed:"
                + " releases are no longer judged by it"),
        Arguments.of(
            "the Prometheus address changed",
            TEMPLATE,
            TEMPLATE.replaceFirst("prometheus.monitoring:9090", "prometheus.other:9090"),
            "x.yaml:14: warning: AnalysisTemplate shop/istio-success-rate: metric success-rate:"
                + " Prometheus address changed from http://prometheus.monitoring:9090 to"
                + " http://prometheus.other:9090: the thresholds were set against the old"
                + " server's data, and the query (with its credentials) now goes to the new one"),
        Arguments.of(
            "no data counted as a pass",
            TEMPLATE,
            TEMPLATE.replace("interval: 30s\n", "interval: 30s\n      noDataPolicy: Pass\n"),
            "x.yaml:10: warning: AnalysisTemplate shop/istio-success-rate: metric success-rate:"
                + " noDataPolicy is now Pass (was Inconclusive): a canary that answers nothing, or"
                + " a query that matches nothing, passes"),
        Arguments.of(
            "a jump to 100 %",
            ROLLOUT,
            ROLLOUT.replace("- setWeight: 50", "- setWeight: 100"),
            "x.yaml:35: high: Rollout shop/checkout: the canary now goes from 10 % to 100 % at once"
                + " (from 50 % before): most users get the new revision before it is judged at a"
                + " larger share"),
        Arguments.of(
            "the manual gate removed",
            ROLLOUT,
            ROLLOUT.replace("        - pause: {}\n", ""),
            "x.yaml:36: high: Rollout shop/checkout: a manual gate (pause: {}) is removed: the"
                + " release goes on without waiting for `kubectl weir promote`"),
        Arguments.of(
            "a timed pause removed",
            ROLLOUT,
            ROLLOUT.replace("        - pause: {duration: 2m}\n", ""),
            "x.yaml:30: warning: Rollout shop/checkout: a timed pause is removed (2 before, 1 now):"
                + " less time to see the canary before its share grows"),
        Arguments.of(
            "an analysis step removed",
            ROLLOUT,
            ROLLOUT.replace(
                "        - analysis:\n            templates: [{templateName: istio-p99-latency}]\n",
                ""),
            "x.yaml:33: high: Rollout shop/checkout: the analysis step with template"
                + " istio-p99-latency (step 3 before) is removed: the release is no longer judged"
                + " by it"),
        Arguments.of(
            "all steps removed",
            ROLLOUT,
            ROLLOUT.substring(0, ROLLOUT.indexOf("      steps:")),
            "x.yaml:24: high: Rollout shop/checkout: all 6 steps are removed: the next release"
                + " takes all the traffic at once, with no pause and no analysis step"),
        Arguments.of(
            "the background analysis removed",
            ROLLOUT,
            ROLLOUT.replace(
                "      analysis:\n        startingStep: 1\n"
                    + "        templates: [{templateName: istio-success-rate}]\n",
                ""),
            "x.yaml:24: high: Rollout shop/checkout: the background analysis with template"
                + " istio-success-rate is removed: nothing judges the release by it between"
                + " steps"),
        Arguments.of(
            "replicas to 0",
            ROLLOUT,
            ROLLOUT.replace("replicas: 5", "replicas: 0"),
            "x.yaml:7: high: Rollout shop/checkout: replicas set to 0 (was 5): every pod stops"),
        Arguments.of(
            "the selector changed",
            ROLLOUT,
            ROLLOUT.replace("matchLabels: {app: checkout}", "matchLabels: {app: checkout-v2}"),
            "x.yaml:8: high: Rollout shop/checkout: the selector changed: the ReplicaSets made under"
                + " the old one no longer match it; they are orphaned and keep their pods beside"
                + " the new ones"),
        Arguments.of(
            "a Deployment's selector changed",
            DEPLOYMENT,
            DEPLOYMENT.replace("matchLabels: {app: cart}", "matchLabels: {app: basket}"),
            "x.yaml:7: high: Deployment cart: the selector changed: it is immutable, so the apply"
                + " is refused until the Deployment is deleted and made again"),
        Arguments.of(
            "a limit removed",
            ROLLOUT,
            ROLLOUT.replace("{cpu: \"1\", memory: 512Mi}", "{cpu: \"1\"}"),
            "x.yaml:17: warning: Rollout shop/checkout: container app: its memory limit (512Mi) is"
                + " removed: one pod can take what its neighbours on the node need"),
        Arguments.of(
            "the readiness probe removed",
            ROLLOUT,
            ROLLOUT.replace(
                "          readinessProbe:\n            httpGet: {path: /ready, port: 8080}\n", ""),
            "x.yaml:15: high: Rollout shop/checkout: container app: its readinessProbe is removed:"
                + " pods get traffic as soon as they start, before they can answer"),
        Arguments.of(
            "a Secret in plain text",
            DEPLOYMENT,
            DEPLOYMENT
                + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: db}\n"
                + "stringData:\n  password: hunter2\n",
            "x.yaml:20: high: Secret db: the Secret's values (password) are in git in plain text:"
                + " whoever can read the repository can read them; commit a SealedSecret or a"
                + " SOPS-encrypted file, or use an external secret store"),
        Arguments.of(
            "a SOPS-encrypted Secret is not plain",
            DEPLOYMENT,
            DEPLOYMENT
                + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: db}\n"
                + "data: {password: \"ENC[AES256_GCM,data:abc]\"}\nsops: {version: 3.8.1}\n",
            null),
        Arguments.of(
            "Argo CD's prune turned on",
            APPLICATION,
            APPLICATION.replace("prune: false", "prune: true"),
            "x.yaml:9: warning: Application argocd/checkout: automated prune is turned on: Argo CD"
                + " deletes from the cluster every object that leaves git, a Rollout and its pods"
                + " included"),
        Arguments.of(
            "Argo CD's selfHeal turned on",
            APPLICATION,
            APPLICATION.replace("selfHeal: false", "selfHeal: true"),
            "x.yaml:9: warning: Application argocd/checkout: automated selfHeal is turned on: Argo"
                + " CD undoes any change made in the cluster, a manual fix during an incident"
                + " included"),
        Arguments.of(
            "Flux's prune turned on",
            FLUX,
            FLUX.replace("prune: false", "prune: true"),
            "x.yaml:8: warning: Kustomization flux-system/checkout: prune is turned on: Flux deletes"
                + " from the cluster every object that leaves this path, a Rollout and its pods"
                + " included"),
        Arguments.of(
            "an image bump is no risk",
            ROLLOUT,
            ROLLOUT.replace("checkout:2.4.1", "checkout:2.5.0"),
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("risks")
  void reportsTheRiskyChangeAtItsLine(
      String change, String base, String head, String expected, @TempDir Path dir)
      throws IOException {
    var risks = review(dir, base, head);

    if (expected == null) {
      assertThat(risks).isEmpty();
    } else {
      // What lint says of the changed object may come beside it (a selector the labels miss).
      assertThat(risks).filteredOn(r -> !r.contains(": lint error: ")).containsExactly(expected);
    }
  }

  @Test
  void lintsWhatChangedAndOnlyThat(@TempDir Path dir) throws IOException {
    String broken = ROLLOUT.replace("- setWeight: 50", "- setWeight: 150");

    assertThat(review(dir.resolve("changed"), ROLLOUT, broken))
        .contains(
            "x.yaml:35: high: Rollout shop/checkout: lint error:"
                + " spec.strategy.canary.steps[3].setWeight: must be at most 100, was 150");
    assertThat(review(dir.resolve("unchanged"), broken, broken)).isEmpty();
  }

  @Test
  void aWorkloadRemovedFromGitIsAWarning(@TempDir Path dir) throws IOException {
    assertThat(review(dir, DEPLOYMENT + "---\n" + FLUX, FLUX))
        .containsExactly(
            "x.yaml:1: warning: Deployment cart: removed from git: a GitOps tool that prunes"
                + " deletes it and its pods");
  }

  /** The review's lines for the change of x.yaml from base to head. */
  static List<String> review(Path dir, String base, String head) throws IOException {
    SideFiles before = side(dir, "base", base);
    SideFiles after = side(dir, "head", head);
    return PullRequestReview.review(before, after, null, List.of()).risks().stream()
        .map(Risk::toString)
        .toList();
  }

  private static SideFiles side(Path dir, String name, String text) throws IOException {
    Path tree = dir.resolve(name).resolve("tree");
    Files.createDirectories(tree);
    Files.writeString(tree.resolve("x.yaml"), text);
    return new SideFiles(name, tree, "");
  }
}
