package dev.weir.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.weir.cli.CliException;
import dev.weir.cli.ExitCode;
import dev.weir.cli.Json;
import dev.weir.cli.cluster.Rollouts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kubectl weir set image NAME CONTAINER=IMAGE...}. */
@Command(
    name = "image",
    description = {
      "Change the image of containers of a rollout's pod template: a new revision, released"
          + " through the canary steps. `*=IMAGE` sets every container.",
      "A JSON patch of each image alone. Under GitOps, git declares the images: change them"
          + " there, or a sync puts them back."
    },
    mixinStandardHelpOptions = true)
final class SetImageCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "NAME", description = "Name of the rollout.")
  String name;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "CONTAINER=IMAGE",
      description = "A container (or *) and its new image.")
  List<String> images;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var wanted = new LinkedHashMap<String, String>();
    for (String pair : images) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new ParameterException(
            spec.commandLine(), "expected CONTAINER=IMAGE, got \"" + pair + "\"");
      }
      wanted.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    setImages(cluster.rollouts(), name, wanted)
        .print(spec.commandLine().getOut(), spec.commandLine().getErr());
    return ExitCode.OK;
  }

  static Outcome setImages(Rollouts rollouts, String name, Map<String, String> wanted) {
    JsonNode rollout = rollouts.get(name);
    ArrayNode patch = Json.MAPPER.createArrayNode();
    var found = new java.util.HashSet<String>();
    for (String list : List.of("initContainers", "containers")) {
      JsonNode containers = Json.at(rollout, "spec", "template", "spec", list);
      for (int i = 0; i < containers.size(); i++) {
        String container = containers.get(i).path("name").asText();
        String image = wanted.containsKey(container) ? wanted.get(container) : wanted.get("*");
        if (image == null) {
          continue;
        }
        found.add(container);
        if (image.equals(containers.get(i).path("image").asText())) {
          continue;
        }
        String at = "/spec/template/spec/" + list + "/" + i;
        // The test guards the index: the list may have changed since it was read.
        patch.addObject().put("op", "test").put("path", at + "/name").put("value", container);
        patch.addObject().put("op", "replace").put("path", at + "/image").put("value", image);
      }
    }
    for (String container : wanted.keySet()) {
      if (!container.equals("*") && !found.contains(container)) {
        throw CliException.error("unable to find container named \"" + container + "\"");
      }
    }
    if (patch.isEmpty()) {
      return Outcome.of(Rollouts.ref(name) + " unchanged");
    }
    rollouts.jsonPatch(name, patch.toString());
    return Outcome.of(Rollouts.ref(name) + " image updated");
  }
}
