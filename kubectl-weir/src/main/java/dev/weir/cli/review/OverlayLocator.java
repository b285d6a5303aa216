package dev.weir.cli.review;

import dev.weir.cli.manifest.YamlDocument;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Fields of an object a Kustomize overlay built, at the line of the repository that declares them:
 *
 * <ol>
 *   <li>a JSON patch in the overlay's folder whose {@code path} is the field ({@code path:
 *       /spec/replicas});
 *   <li>a strategic-merge patch in the overlay's folder, of the same kind and name, that has the
 *       field;
 *   <li>the resource file the object came from (Kustomize's {@code config.kubernetes.io/origin}),
 *       at the field or its nearest parent there;
 *   <li>for an object a generator made, the generator in its kustomization;
 *   <li>else the overlay's kustomization.
 * </ol>
 *
 * A patch of an overlay between the two (a base of a base) is found through the resource's own file
 * only: the nearest declaration the review can name without re-doing Kustomize's work.
 */
final class OverlayLocator implements FieldLocator {

  private final SideFiles files;
  private final List<String> overlayFiles;
  private final String kustomization;
  private final Origin origin;
  private final String kind;
  private final String name;

  /**
   * Where Kustomize says an object came from, relative to the repository's top folder.
   *
   * @param file the resource file, or null
   * @param generatedIn the kustomization whose generator made it, or null
   * @param generator the generator's kind ({@code SecretGenerator}), or null
   */
  record Origin(String file, String generatedIn, String generator) {}

  OverlayLocator(
      SideFiles files,
      List<String> overlayFiles,
      String kustomization,
      Origin origin,
      String kind,
      String name) {
    this.files = files;
    this.overlayFiles = overlayFiles;
    this.kustomization = kustomization;
    this.origin = origin;
    this.kind = kind;
    this.name = name;
  }

  @Override
  public Location locate(String path) {
    if (!path.isEmpty()) {
      String pointer = pointer(path);
      var jsonPatch =
          Pattern.compile("^\\s*(-\\s+)?path:\\s*['\"]?" + Pattern.quote(pointer) + "['\"]?\\s*$");
      for (String file : overlayFiles) {
        List<String> lines = files.lines(file);
        for (int i = 0; i < lines.size(); i++) {
          if (jsonPatch.matcher(lines.get(i)).matches()) {
            return new Location(files.shown(file), i + 1);
          }
        }
      }
      for (String file : overlayFiles) {
        if (file.equals(origin.file())) {
          continue;
        }
        for (YamlDocument doc : files.documents(file)) {
          if (sameObject(doc) && !doc.value().at(pointer).isMissingNode()) {
            return new Location(doc.file(), doc.line(path));
          }
        }
      }
    }
    if (origin.file() != null) {
      YamlDocument doc = resource(files.documents(origin.file()));
      if (doc != null) {
        return new Location(doc.file(), path.isEmpty() ? doc.line() : doc.line(path));
      }
    }
    if (origin.generatedIn() != null && origin.generator() != null) {
      String key =
          Character.toLowerCase(origin.generator().charAt(0)) + origin.generator().substring(1);
      for (YamlDocument doc : files.documents(origin.generatedIn())) {
        return new Location(doc.file(), doc.line(key));
      }
    }
    return new Location(files.shown(kustomization), 1);
  }

  /** The document of the resource file this object came from. */
  private YamlDocument resource(List<YamlDocument> docs) {
    YamlDocument contained = null;
    YamlDocument ofKind = null;
    int kindCount = 0;
    for (YamlDocument doc : docs) {
      if (!doc.kind().equals(kind)) {
        continue;
      }
      kindCount++;
      ofKind = doc;
      if (doc.name().equals(name)) {
        return doc;
      }
      if (contained == null && !doc.name().isEmpty() && name.contains(doc.name())) {
        contained = doc; // a namePrefix or nameSuffix of the overlay
      }
    }
    return contained != null ? contained : kindCount == 1 ? ofKind : null;
  }

  private boolean sameObject(YamlDocument doc) {
    return doc.kind().equals(kind)
        && !doc.name().isEmpty()
        && (doc.name().equals(name) || name.contains(doc.name()));
  }

  /** {@code spec.steps[2].pause} as a JSON pointer, {@code /spec/steps/2/pause}. */
  static String pointer(String path) {
    return "/" + path.replaceAll("\\[(\\d+)]", ".$1").replace('.', '/');
  }
}
