package dev.weir.traffic.gatewayapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weir.api.v1alpha1.GatewayApiRoute;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.traffic.NamedRoute;
import dev.weir.traffic.gatewayapi.RouteRules.Backend;
import dev.weir.traffic.gatewayapi.RouteRules.Rule;
import java.util.List;
import java.util.Optional;

/**
 * The pure half of the Gateway API router: which rule of a route (HTTPRoute or GRPCRoute) a
 * reference names and where in it the stable and canary backendRefs are, the canary weight they
 * hold, and the JSON patch that writes a weight plan to exactly those two {@code weight} fields.
 *
 * <p>Gateway API weights are proportional and a backendRef without one weighs 1. Weir writes the
 * two as percentages (canary {@code w}, stable {@code 100 - w}), so a read-back is verified only
 * when they sum to 100: {@code [stable 80, canary 20]} is 20 %; {@code [stable 1, canary 1]}, as a
 * route is usually applied before Weir touches it, is not a weight Weir wrote.
 */
public final class BackendWeights {

  private BackendWeights() {}

  /**
   * A managed rule: its position, its name (null when it has none) and the positions of the two
   * backendRefs in it.
   */
  public record ManagedRule(int ruleIndex, String ruleName, int stable, int canary) {}

  /** The services of the two sides, and the namespace a backendRef without one refers to. */
  public record Backends(String namespace, String stableService, String canaryService) {}

  /**
   * The rule of {@code route} that {@code reference} names, with its two backendRefs; a problem
   * naming {@code field} (the reference's field) when the rule or a backendRef is missing.
   */
  public static Optional<ManagedRule> resolve(
      RouteRules route,
      GatewayApiRoute reference,
      String field,
      Backends backends,
      List<SpecProblem> problems) {
    List<Rule> rules = route.rules();
    String where = route.kind() + " " + backends.namespace() + "/" + reference.name;
    int index;
    String ruleField;
    if (reference.rule != null) {
      ruleField = field + ".rule";
      index = indexOf(rules, reference.rule);
      if (index < 0) {
        problems.add(
            new SpecProblem(ruleField, "rule '" + reference.rule + "' not found in " + where));
        return Optional.empty();
      }
    } else if (reference.ruleIndex != null) {
      ruleField = field + ".ruleIndex";
      index = reference.ruleIndex;
      if (index < 0 || index >= rules.size()) {
        problems.add(
            new SpecProblem(
                ruleField,
                index + " is out of range: " + where + " has " + rules.size() + " rules"));
        return Optional.empty();
      }
    } else {
      ruleField = field + ".name";
      // The user's rules: Weir's own named rules are not among those it may weigh.
      var users =
          java.util.stream.IntStream.range(0, rules.size())
              .filter(i -> !NamedRoute.isNamedByWeir(rules.get(i).name()))
              .toArray();
      if (users.length != 1) {
        problems.add(
            new SpecProblem(
                field + ".rule",
                "required: " + where + " has " + users.length + " rules, name the one to use"));
        return Optional.empty();
      }
      index = users[0];
    }
    Rule rule = rules.get(index);
    List<Backend> refs = rule.backendRefs();
    int stable = backendIndex(refs, backends.stableService(), backends.namespace());
    int canary = backendIndex(refs, backends.canaryService(), backends.namespace());
    if (stable < 0 || canary < 0) {
      String missing = stable < 0 ? backends.stableService() : backends.canaryService();
      String ruleName = rule.name() == null ? "#" + index : "'" + rule.name() + "'";
      problems.add(
          new SpecProblem(
              ruleField,
              "rule "
                  + ruleName
                  + " of "
                  + where
                  + " has no backendRef to Service '"
                  + missing
                  + "'"));
      return Optional.empty();
    }
    return Optional.of(new ManagedRule(index, rule.name(), stable, canary));
  }

  /**
   * The canary's weight in percent on a managed rule as read, or null when the two weights do not
   * sum to 100 (not a weight Weir wrote, or someone else's since).
   */
  public static Integer canaryWeight(RouteRules route, ManagedRule rule) {
    var refs = route.rules().get(rule.ruleIndex()).backendRefs();
    int stable = weight(refs.get(rule.stable()));
    int canary = weight(refs.get(rule.canary()));
    return stable + canary == 100 ? canary : null;
  }

  /**
   * The JSON patch that gives the canary {@code canaryWeight} percent and the stable side the rest
   * on each rule. Each rule's name and each backendRef's name are tested first, so an edit that
   * reordered the rules or backendRefs since they were read fails the write instead of moving the
   * wrong weight.
   */
  public static ArrayNode patch(List<ManagedRule> rules, Backends backends, int canaryWeight) {
    var patch = JsonNodeFactory.instance.arrayNode();
    for (var rule : rules) {
      String base = "/spec/rules/" + rule.ruleIndex();
      if (rule.ruleName() != null) {
        test(patch, base + "/name", rule.ruleName());
      }
      String stable = base + "/backendRefs/" + rule.stable();
      String canary = base + "/backendRefs/" + rule.canary();
      test(patch, stable + "/name", backends.stableService());
      test(patch, canary + "/name", backends.canaryService());
      set(patch, stable + "/weight", 100 - canaryWeight);
      set(patch, canary + "/weight", canaryWeight);
    }
    return patch;
  }

  private static int indexOf(List<Rule> rules, String name) {
    for (int i = 0; i < rules.size(); i++) {
      if (name.equals(rules.get(i).name())) {
        return i;
      }
    }
    return -1;
  }

  // A backendRef is a Service of the route's namespace unless its group, kind or namespace say
  // otherwise.
  private static int backendIndex(List<Backend> refs, String service, String namespace) {
    for (int i = 0; i < refs.size(); i++) {
      var ref = refs.get(i);
      boolean core = ref.group() == null || ref.group().isEmpty();
      boolean isService = ref.kind() == null || "Service".equals(ref.kind());
      boolean here = ref.namespace() == null || namespace.equals(ref.namespace());
      if (core && isService && here && service.equals(ref.name())) {
        return i;
      }
    }
    return -1;
  }

  // The Gateway API's default: a backendRef without a weight weighs 1.
  private static int weight(Backend ref) {
    return ref.weight() == null ? 1 : ref.weight();
  }

  private static void test(ArrayNode patch, String path, String value) {
    patch.addObject().put("op", "test").put("path", path).put("value", value);
  }

  // "add" sets a member whether or not it exists; "replace" would fail on a weightless backendRef.
  private static void set(ArrayNode patch, String path, int value) {
    patch.addObject().put("op", "add").put("path", path).put("value", value);
  }
}
