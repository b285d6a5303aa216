package dev.weir.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code ignoreDifferences} that docs/gitops.md recommends for Argo CD, as the example
 * Application declares them, run with the real {@code jq} on the example routes: as git declares
 * them, and as they are in the middle of a release (Weir's weights, and the routes of its header
 * and mirror steps). What the expressions select must be what Weir writes and nothing else: with it
 * removed, a route mid-release is git's route again, while a change git makes to anything else is
 * still a difference a sync applies.
 */
class GitOpsIgnoreDifferencesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<String> expressions(String kind) throws IOException {
    JsonNode app = YAML.readTree(Path.of("examples/gitops/argocd/application.yaml").toFile());
    var out = new ArrayList<String>();
    for (JsonNode ignore : app.path("spec").path("ignoreDifferences")) {
      if (ignore.path("kind").asText().equals(kind)) {
        assertThat(ignore.has("managedFieldsManagers"))
            .as("%s: managedFieldsManagers would ignore every route change in git", kind)
            .isFalse();
        ignore.path("jqPathExpressions").forEach(e -> out.add(e.asText()));
      }
    }
    assertThat(out).as("jqPathExpressions for %s", kind).isNotEmpty();
    return out;
  }

  private static JsonNode gitDeclared(String file) throws IOException {
    return YAML.readTree(Path.of(file).toFile());
  }

  private static String jq(String program, JsonNode input) throws Exception {
    var process = new ProcessBuilder("jq", "-c", program).redirectErrorStream(true).start();
    try (var stdin = process.getOutputStream()) {
      stdin.write(JSON.writeValueAsBytes(input));
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("jq %s: %s", program, out).isZero();
    return out.strip();
  }

  /** The object with what the expressions select deleted, as Argo CD compares it. */
  private static JsonNode normalized(List<String> expressions, JsonNode object) throws Exception {
    // Each on its own, as Argo CD applies them: a pipe binds looser than the comma.
    var each = expressions.stream().map(e -> "(" + e + ")").toList();
    return JSON.readTree(jq("del(" + String.join(", ", each) + ")", object));
  }

  /** The paths the expressions select in the object, as jq writes them. */
  private static List<String> selected(List<String> expressions, JsonNode object) throws Exception {
    var paths = new ArrayList<String>();
    for (String expression : expressions) {
      String out = jq("[path(" + expression + ")] | .[] | map(tostring) | join(\".\")", object);
      out.lines().map(l -> l.replace("\"", "")).filter(l -> !l.isEmpty()).forEach(paths::add);
    }
    return paths;
  }

  /** A VirtualService mid-release: 80/20 on primary and a header route of the canary step. */
  private static JsonNode virtualServiceMidRelease(JsonNode git) {
    var live = git.deepCopy();
    var http = (ArrayNode) live.path("spec").path("http");
    var primary = (ObjectNode) http.get(0);
    ((ObjectNode) primary.path("route").get(0)).put("weight", 80);
    ((ObjectNode) primary.path("route").get(1)).put("weight", 20);
    var header = http.insertObject(0);
    header.put("name", "weir.checkout.tagged");
    header
        .putArray("match")
        .addObject()
        .putObject("headers")
        .putObject("x-canary")
        .put("exact", "yes");
    header.putArray("route").addObject().putObject("destination").put("host", "checkout-canary");
    return live;
  }

  /** An HTTPRoute mid-release: 70/30 on primary and a mirror rule of the canary step. */
  private static JsonNode httpRouteMidRelease(JsonNode git) {
    var live = git.deepCopy();
    var rules = (ArrayNode) live.path("spec").path("rules");
    var refs = rules.get(0).path("backendRefs");
    ((ObjectNode) refs.get(0)).put("weight", 70);
    ((ObjectNode) refs.get(1)).put("weight", 30);
    var mirror = rules.addObject();
    mirror.put("name", "weir.checkout.shadow");
    mirror.putArray("backendRefs").addObject().put("name", "checkout-stable").put("port", 80);
    var filter = mirror.putArray("filters").addObject();
    filter.put("type", "RequestMirror");
    filter
        .putObject("requestMirror")
        .put("percent", 20)
        .putObject("backendRef")
        .put("name", "checkout-canary")
        .put("port", 80);
    return live;
  }

  @Test
  void aVirtualServiceMidReleaseIsGitsOnceWeirsWeightsAndRoutesAreIgnored() throws Exception {
    var expressions = expressions("VirtualService");
    var git = gitDeclared("examples/gitops/base/virtualservice.yaml");
    var live = virtualServiceMidRelease(git);

    assertThat(live).isNotEqualTo(git);
    assertThat(normalized(expressions, live)).isEqualTo(normalized(expressions, git));
    assertThat(selected(expressions, live))
        .containsExactlyInAnyOrder(
            "spec.http.1.route.0.weight", "spec.http.1.route.1.weight", "spec.http.0");
  }

  @Test
  void aRouteChangeInGitIsStillADifference() throws Exception {
    var expressions = expressions("VirtualService");
    var git = gitDeclared("examples/gitops/base/virtualservice.yaml");
    var live = virtualServiceMidRelease(git);
    var changed = git.deepCopy();
    ((ObjectNode) changed.path("spec").path("http").get(0)).put("timeout", "3s");
    var another = git.deepCopy();
    ((ArrayNode) another.path("spec").path("http"))
        .addObject()
        .put("name", "admin")
        .putArray("route")
        .addObject()
        .putObject("destination")
        .put("host", "checkout-admin");

    assertThat(normalized(expressions, changed)).isNotEqualTo(normalized(expressions, live));
    assertThat(normalized(expressions, another)).isNotEqualTo(normalized(expressions, live));
  }

  @Test
  void anHttpRouteMidReleaseIsGitsOnceWeirsWeightsAndRulesAreIgnored() throws Exception {
    var expressions = expressions("HTTPRoute");
    var git = gitDeclared("examples/canary-gateway-api/httproute.yaml");
    var live = httpRouteMidRelease(git);
    var changed = git.deepCopy();
    ((ArrayNode) changed.path("spec").path("hostnames")).add("shop.example.com");

    assertThat(normalized(expressions, live)).isEqualTo(normalized(expressions, git));
    assertThat(selected(expressions, live))
        .containsExactlyInAnyOrder(
            "spec.rules.0.backendRefs.0.weight",
            "spec.rules.0.backendRefs.1.weight",
            "spec.rules.1");
    assertThat(normalized(expressions, changed)).isNotEqualTo(normalized(expressions, live));
  }

  @Test
  void theGuideShowsTheExpressionsTheExampleApplicationHolds() throws Exception {
    String guide = Files.readString(Path.of("docs/gitops.md"));
    for (String kind : List.of("VirtualService", "HTTPRoute", "GRPCRoute")) {
      for (String expression : expressions(kind)) {
        assertThat(guide).contains("- " + expression);
      }
    }
  }
}
