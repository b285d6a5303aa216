package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code get rollout} in-process against the fabric8 mock API server, serving what a real one would
 * for a paused canary judged by an AnalysisRun, with or without the AnalysisRun CRD.
 */
@EnableKubernetesMockClient(https = false)
class GetRolloutMockTest {

  KubernetesMockServer server;

  @TempDir Path dir;
  Path kubeconfig;

  record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void kubeconfig() throws IOException {
    kubeconfig =
        Files.writeString(
            dir.resolve("kubeconfig"),
            String.join(
                "\n",
                "apiVersion: v1",
                "kind: Config",
                "current-context: mock",
                "clusters:",
                "- name: mock",
                "  cluster: {server: 'http://"
                    + server.getHostName()
                    + ":"
                    + server.getPort()
                    + "'}",
                "users:",
                "- name: nobody",
                "  user: {token: t}",
                "contexts:",
                "- name: mock",
                "  context: {cluster: mock, user: nobody, namespace: shop}",
                ""));
  }

  void serve(boolean analysisRunsServed) {
    String resources =
        analysisRunsServed
            ? "[{\"name\":\"rollouts\"},{\"name\":\"analysisruns\"}]"
            : "[{\"name\":\"rollouts\"}]";
    server
        .expect()
        .get()
        .withPath("/apis/weir.dev/v1alpha1")
        .andReturn(200, "{\"kind\":\"APIResourceList\",\"resources\":" + resources + "}")
        .always();
    server
        .expect()
        .get()
        .withPath("/apis/weir.dev/v1alpha1/namespaces/shop/rollouts/checkout")
        .andReturn(200, Fixtures.text("rollout.json"))
        .always();
    server
        .expect()
        .get()
        .withPath("/apis/apps/v1/namespaces/shop/replicasets?labelSelector=app%3Dcheckout")
        .andReturn(200, Fixtures.text("replicasets.json"))
        .always();
    server
        .expect()
        .get()
        .withPath(
            "/apis/weir.dev/v1alpha1/namespaces/shop/analysisruns"
                + "?labelSelector=weir.dev%2Frollout%3Dcheckout")
        .andReturn(200, Fixtures.text("analysisruns.json"))
        .always();
  }

  Run run(String... args) {
    var all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(all.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  List<String> paths() throws InterruptedException {
    var paths = new ArrayList<String>();
    for (var request = server.takeRequest(100, TimeUnit.MILLISECONDS);
        request != null;
        request = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
      paths.add(request.getPath());
    }
    return paths;
  }

  @Test
  void theAnalysisRunsOfTheRevisionHangUnderIt() {
    serve(true);

    var run = run("get", "rollout", "checkout");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .containsPattern("(?m)^\\|   `-- checkout-7c5b9d6f8-1  AnalysisRun  Running  \\S+$")
        .containsPattern(
            "(?m)^\\|       `-- success-rate +Metric +Running +value 0\\.997 \\(2 measurements\\)$");
  }

  @Test
  void withoutTheAnalysisRunCrdThereIsNoBranchAndNoRequestForRuns() throws Exception {
    serve(false);

    var run = run("get", "rollout", "checkout", "-o", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Json.parse(run.out()).path("revisions").get(0).path("analysisRuns")).isEmpty();
    assertThat(paths())
        .anyMatch(p -> p.contains("/replicasets"))
        .noneMatch(p -> p.contains("analysisruns"));
  }

  @Test
  void aMissingRolloutAndAMissingCrdAreToldApart() {
    server
        .expect()
        .get()
        .withPath("/apis/weir.dev/v1alpha1/namespaces/shop/rollouts/nope")
        .andReturn(
            404,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
                + "\"rollouts.weir.dev \\\"nope\\\" not found\",\"reason\":\"NotFound\","
                + "\"details\":{\"name\":\"nope\",\"group\":\"weir.dev\",\"kind\":\"rollouts\"},"
                + "\"code\":404}")
        .always();
    server
        .expect()
        .get()
        .withPath("/apis/weir.dev/v1alpha1/namespaces/other/rollouts/checkout")
        .andReturn(404, "404 page not found")
        .always();

    var missing = run("get", "rollout", "nope");
    var noCrd = run("get", "rollout", "checkout", "-n", "other");

    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err())
        .isEqualTo("Error from server (NotFound): rollouts.weir.dev \"nope\" not found\n");
    assertThat(noCrd.exitCode()).isEqualTo(1);
    assertThat(noCrd.err())
        .isEqualTo(
            "error: the server doesn't have a resource type \"rollouts\" in weir.dev/v1alpha1:"
                + " are Weir's CRDs installed?\n");
  }
}
