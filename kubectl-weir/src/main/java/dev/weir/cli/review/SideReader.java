package dev.weir.cli.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.api.WellKnownNames;
import dev.weir.cli.CliException;
import dev.weir.cli.manifest.YamlDocument;
import dev.weir.cli.manifest.YamlDocuments;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads the objects of one side of a review as the GitOps tool would apply them: each Kustomize
 * overlay built (an overlay no other kustomization names: what Argo CD or Flux points at), and
 * every other manifest as it is. Files in a kustomization's folder belong to it and are not read on
 * their own.
 */
final class SideReader {

  private static final Set<String> KUSTOMIZATION_FILES =
      Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  /**
   * What a side holds.
   *
   * @param objects every object, plain or built
   * @param notYaml manifest files that are not YAML, with the problem (by path in the tree)
   * @param brokenBuilds overlays Kustomize could not build, with its message (by folder)
   * @param lintInputs for each build ({@code ""} for the plain manifests), the text lint reads
   */
  record Content(
      List<ManifestObject> objects,
      Map<String, String> notYaml,
      Map<String, String> brokenBuilds,
      Map<String, Map<String, String>> lintInputs) {}

  private final SideFiles files;
  private final KustomizeBuild kustomize;
  private final List<String> scope;

  /**
   * @param scope folders or files of the tree to review ({@code deploy/}), or empty for all
   */
  SideReader(SideFiles files, KustomizeBuild kustomize, List<String> scope) {
    this.files = files;
    this.kustomize = kustomize;
    this.scope =
        scope.stream()
            .map(s -> s.replaceFirst("^(\\./)+", "").replaceFirst("/+$", ""))
            .map(s -> s.equals(".") ? "" : s)
            .toList();
  }

  Content read() throws IOException {
    List<String> all = listFiles();
    var kustomizations = new LinkedHashMap<String, String>(); // folder -> its kustomization file
    for (String file : all) {
      if (KUSTOMIZATION_FILES.contains(name(file)) && isKustomize(file)) {
        kustomizations.put(folder(file), file);
      }
    }
    var objects = new ArrayList<ManifestObject>();
    var notYaml = new LinkedHashMap<String, String>();
    var broken = new LinkedHashMap<String, String>();
    var lintInputs = new LinkedHashMap<String, Map<String, String>>();
    var plainLint = new LinkedHashMap<String, String>();
    for (String file : all) {
      if (!manifest(file) || !inScope(file) || coveredBy(file, kustomizations.keySet())) {
        continue;
      }
      try {
        boolean weir = false;
        for (YamlDocument doc : YamlDocuments.parse(files.shown(file), files.text(file))) {
          if (!doc.kind().isEmpty()) {
            objects.add(new ManifestObject("", doc, doc.value(), new PlainLocator(doc)));
            weir |= doc.apiVersion().startsWith(WellKnownNames.GROUP + "/");
          }
        }
        if (weir) {
          plainLint.put(files.shown(file), files.text(file));
        }
      } catch (YamlDocuments.SyntaxError e) {
        notYaml.put(file, e.line() + ":" + e.column() + ": " + e.getMessage());
      }
    }
    lintInputs.put("", plainLint);
    int n = 0;
    for (String overlay : tops(kustomizations)) {
      if (!inScope(overlay)) {
        continue;
      }
      if (kustomize == null) {
        throw CliException.error(
            "building the Kustomize overlay "
                + files.shown(overlay)
                + " needs kubectl (kubectl kustomize) or kustomize on PATH");
      }
      Path wrapper = files.tree().resolveSibling("builds").resolve(String.valueOf(n++));
      String built;
      try {
        built = kustomize.build(files.tree(), overlay, wrapper);
      } catch (KustomizeBuild.Failed e) {
        broken.put(overlay, e.getMessage());
        continue;
      }
      String name = files.shown(overlay.isEmpty() ? "." : overlay) + " (built)";
      try {
        for (YamlDocument doc : YamlDocuments.parse(name, built)) {
          objects.add(builtObject(overlay, kustomizations.get(overlay), all, wrapper, doc));
        }
        lintInputs.put(overlay, Map.of(name, built));
      } catch (YamlDocuments.SyntaxError e) {
        broken.put(overlay, "its output is not YAML: " + e.getMessage());
      }
    }
    return new Content(objects, notYaml, broken, lintInputs);
  }

  private ManifestObject builtObject(
      String overlay, String kustomization, List<String> all, Path wrapper, YamlDocument doc) {
    ObjectNode value = doc.value().deepCopy();
    JsonNode annotations = value.path("metadata").path("annotations");
    String origin = annotations.path(KustomizeBuild.ORIGIN).asText("");
    if (annotations instanceof ObjectNode a) {
      a.remove(KustomizeBuild.ORIGIN);
      if (a.isEmpty()) {
        ((ObjectNode) value.path("metadata")).remove("annotations");
      }
    }
    var overlayFiles = new ArrayList<String>();
    overlayFiles.add(kustomization);
    for (String file : all) {
      if (folder(file).equals(overlay) && manifest(file) && !file.equals(kustomization)) {
        overlayFiles.add(file);
      }
    }
    var locator =
        new OverlayLocator(
            files,
            overlayFiles,
            kustomization,
            origin(origin, wrapper),
            value.path("kind").asText(""),
            value.path("metadata").path("name").asText(""));
    return new ManifestObject(overlay.isEmpty() ? "." : overlay, doc, value, locator);
  }

  /** Kustomize's origin annotation: {@code path: ...}, or {@code configuredIn: ...} and a kind. */
  private OverlayLocator.Origin origin(String annotation, Path wrapper) {
    String path = null;
    String configuredIn = null;
    String generator = null;
    for (String line : annotation.lines().toList()) {
      String trimmed = line.strip();
      if (line.startsWith("path:")) {
        path = inTree(wrapper, trimmed.substring("path:".length()).strip());
      } else if (line.startsWith("configuredIn:")) {
        configuredIn = inTree(wrapper, trimmed.substring("configuredIn:".length()).strip());
      } else if (trimmed.startsWith("kind:") && configuredIn != null) {
        generator = trimmed.substring("kind:".length()).strip();
      }
    }
    return new OverlayLocator.Origin(path, configuredIn, generator);
  }

  /** A path relative to the review's kustomization, as a path in the tree; null outside it. */
  private String inTree(Path wrapper, String path) {
    Path resolved = wrapper.resolve(path).normalize();
    Path tree = files.tree().normalize();
    return resolved.startsWith(tree) ? slashes(tree.relativize(resolved).toString()) : null;
  }

  /** Overlays no other kustomization names as a resource, base or component. */
  private List<String> tops(Map<String, String> kustomizations) {
    var named = new TreeSet<String>();
    var components = new TreeSet<String>();
    kustomizations.forEach(
        (folder, file) -> {
          for (YamlDocument doc : files.documents(file)) {
            if (doc.kind().equals("Component")) {
              components.add(folder);
            }
            for (String field : List.of("resources", "bases", "components")) {
              for (JsonNode entry : doc.value().path(field)) {
                String target =
                    slashes(
                        Path.of(folder.isEmpty() ? "." : folder, entry.asText())
                            .normalize()
                            .toString());
                named.add(target.equals(".") ? "" : target);
              }
            }
          }
        });
    return kustomizations.keySet().stream()
        .filter(f -> !named.contains(f) && !components.contains(f))
        .sorted()
        .toList();
  }

  /** A kustomization of Kustomize, not a Flux Kustomization kept in a file of the same name. */
  private boolean isKustomize(String file) {
    var docs = files.documents(file);
    return !docs.isEmpty()
        && (docs.get(0).apiVersion().isEmpty()
            || docs.get(0).apiVersion().startsWith("kustomize.config.k8s.io/"));
  }

  private List<String> listFiles() throws IOException {
    Path tree = files.tree();
    try (Stream<Path> walk = Files.walk(tree)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> slashes(tree.relativize(p).toString()))
          .filter(p -> !p.startsWith(".git/"))
          .sorted()
          .toList();
    }
  }

  private boolean inScope(String file) {
    if (scope.isEmpty()) {
      return true;
    }
    for (String s : scope) {
      if (s.isEmpty() || file.equals(s) || file.startsWith(s + "/")) {
        return true;
      }
    }
    return false;
  }

  private static boolean coveredBy(String file, Set<String> kustomizationFolders) {
    for (String folder : kustomizationFolders) {
      if (folder.isEmpty() || file.startsWith(folder + "/")) {
        return true;
      }
    }
    return false;
  }

  private static boolean manifest(String file) {
    return file.endsWith(".yaml") || file.endsWith(".yml") || file.endsWith(".json");
  }

  private static String name(String file) {
    return file.substring(file.lastIndexOf('/') + 1);
  }

  private static String folder(String file) {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? "" : file.substring(0, slash);
  }

  private static String slashes(String path) {
    return path.replace(File.separatorChar, '/');
  }
}
