package dev.weir.cli.review;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The risk review of a pull request: both sides read as the GitOps tool would apply them, each
 * object paired with itself across the two, and every change put to the rules. Offline: it reads
 * files and runs Kustomize, never a cluster.
 */
public final class PullRequestReview {

  private static final List<RiskRule> RULES =
      List.of(
          new ReleaseStepRule(),
          new AnalysisTemplateRule(),
          new WorkloadRule(),
          new PlainSecretRule(),
          new SyncPolicyRule());

  /** What the review found between two sides, sorted by file and line. */
  public record Report(String base, String head, List<Risk> risks) {

    public long count(Severity severity) {
      return risks.stream().filter(r -> r.severity() == severity).count();
    }

    /** Whether anything is at or above the severity; never, for null. */
    public boolean reaches(Severity severity) {
      return severity != null
          && risks.stream().anyMatch(r -> r.severity().compareTo(severity) >= 0);
    }
  }

  private PullRequestReview() {}

  /**
   * Reviews the change from {@code base} to {@code head}.
   *
   * @param start the folder the git repository is found from
   * @param base a git revision or a folder
   * @param head a git revision or a folder; null for the repository's working tree
   * @param scope folders or files of the repository to review, or empty for all
   */
  public static Report review(Path start, String base, String head, List<String> scope)
      throws IOException {
    try (var sides = new ReviewSides(start)) {
      SideFiles before = sides.side("base", base);
      SideFiles after = sides.side("head", head);
      return review(before, after, KustomizeBuild.onPath(), scope);
    }
  }

  static Report review(SideFiles base, SideFiles head, KustomizeBuild kustomize, List<String> scope)
      throws IOException {
    SideReader.Content before = new SideReader(base, kustomize, scope).read();
    SideReader.Content after = new SideReader(head, kustomize, scope).read();
    // An overlay that did not build on one side is not compared: its objects are not gone.
    var unbuilt = new HashSet<String>();
    before.brokenBuilds().keySet().forEach(o -> unbuilt.add(o.isEmpty() ? "." : o));
    after.brokenBuilds().keySet().forEach(o -> unbuilt.add(o.isEmpty() ? "." : o));
    List<Change> changes = pair(built(before.objects(), unbuilt), built(after.objects(), unbuilt));
    var risks = new Risks();
    for (Change change : changes) {
      if (change.changed()) {
        RULES.forEach(rule -> rule.check(change, risks));
      }
    }
    HeadLint.check(after, changes, risks);
    unreadable(base, head, before, after, risks);
    return new Report(base.label(), head.label(), risks.sorted());
  }

  /** Files and overlays the review could not read: said, never silently skipped. */
  private static void unreadable(
      SideFiles base,
      SideFiles head,
      SideReader.Content before,
      SideReader.Content after,
      Risks risks) {
    after
        .notYaml()
        .forEach(
            (file, problem) -> {
              if (!base.text(file).equals(head.text(file))) {
                int line = Integer.parseInt(problem.substring(0, problem.indexOf(':')));
                risks.add(
                    new Risk(
                        Severity.INFO,
                        new Location(head.shown(file), line),
                        "",
                        "",
                        "",
                        "not YAML, not reviewed: " + problem));
              }
            });
    after
        .brokenBuilds()
        .forEach(
            (overlay, message) -> {
              boolean alreadyBroken = before.brokenBuilds().containsKey(overlay);
              risks.add(
                  overlayRisk(
                      alreadyBroken ? Severity.INFO : Severity.HIGH,
                      head,
                      overlay,
                      (alreadyBroken
                              ? " did not build before either, and is not reviewed: "
                              : " no longer builds, so nothing in it can be applied: ")
                          + message));
            });
    before
        .brokenBuilds()
        .forEach(
            (overlay, message) -> {
              if (!after.brokenBuilds().containsKey(overlay)) {
                risks.add(
                    overlayRisk(
                        Severity.INFO,
                        head,
                        overlay,
                        " did not build before: its objects are reviewed as new ("
                            + message
                            + ")"));
              }
            });
  }

  /** A risk about a whole overlay, at the top of its kustomization. */
  private static Risk overlayRisk(Severity severity, SideFiles head, String overlay, String what) {
    return new Risk(
        severity,
        new Location(head.shown(kustomization(head, overlay)), 1),
        "",
        "",
        "",
        "the Kustomize overlay " + head.shown(overlay.isEmpty() ? "." : overlay) + what);
  }

  /** The objects, without those of the overlays that did not build on either side. */
  private static List<ManifestObject> built(List<ManifestObject> objects, Set<String> unbuilt) {
    return objects.stream().filter(o -> !unbuilt.contains(o.build())).toList();
  }

  private static String kustomization(SideFiles side, String overlay) {
    String prefix = overlay.isEmpty() ? "" : overlay + "/";
    for (String name : List.of("kustomization.yaml", "kustomization.yml", "Kustomization")) {
      if (!side.text(prefix + name).isEmpty()) {
        return prefix + name;
      }
    }
    return prefix + "kustomization.yaml";
  }

  /**
   * Each object with itself on the other side: by its build, identity and file first, then, for an
   * object that moved to another file, by its build and identity.
   */
  static List<Change> pair(List<ManifestObject> base, List<ManifestObject> head) {
    var changes = new ArrayList<Change>();
    var leftBase = new ArrayList<>(base);
    var leftHead = new ArrayList<ManifestObject>();
    match(
        leftBase,
        head,
        o -> o.build() + "|" + o.identity() + "|" + o.document().file(),
        changes,
        leftHead);
    var stillLeft = new ArrayList<ManifestObject>();
    match(leftBase, leftHead, o -> o.build() + "|" + o.identity(), changes, stillLeft);
    stillLeft.forEach(h -> changes.add(new Change(null, h)));
    leftBase.forEach(b -> changes.add(new Change(b, null)));
    return changes;
  }

  /**
   * Pairs heads with bases of the same key, in order; removes the paired bases from {@code bases}
   * and collects the unpaired heads.
   */
  private static void match(
      List<ManifestObject> bases,
      List<ManifestObject> heads,
      Function<ManifestObject, String> key,
      List<Change> changes,
      List<ManifestObject> unpaired) {
    var byKey = new LinkedHashMap<String, List<ManifestObject>>();
    bases.forEach(b -> byKey.computeIfAbsent(key.apply(b), k -> new ArrayList<>()).add(b));
    for (ManifestObject h : heads) {
      List<ManifestObject> candidates = byKey.get(key.apply(h));
      if (candidates == null || candidates.isEmpty()) {
        unpaired.add(h);
        continue;
      }
      ManifestObject b = candidates.remove(0);
      bases.removeIf(x -> x == b);
      changes.add(new Change(b, h));
    }
  }

  static Map<String, Long> counts(Report report) {
    var counts = new LinkedHashMap<String, Long>();
    for (Severity s : List.of(Severity.HIGH, Severity.WARNING, Severity.INFO)) {
      counts.put(s.word(), report.count(s));
    }
    return counts;
  }
}
