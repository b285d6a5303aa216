package dev.weir.cli.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.cli.manifest.YamlDocument;
import dev.weir.cli.manifest.YamlDocuments;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code kubectl weir convert}: the peers' manifests as Weir's. Argo Rollouts' Rollout,
 * AnalysisTemplate, ClusterAnalysisTemplate and AnalysisRun ({@link ArgoRollout}, {@link
 * ArgoAnalysis}); Flagger's Canary with its Deployment, HPA and MetricTemplates ({@link
 * FlaggerCanary}). Every other object (Services, VirtualServices, Weir's own) is written out as it
 * is, so that a folder converts into a folder that applies; the Deployments, HPAs and
 * MetricTemplates that became part of a Rollout or template are not.
 */
public final class ManifestConverter {

  private ManifestConverter() {}

  /** The objects to write, and what was said about the sources. */
  public record Conversion(List<Converted> objects, List<Diagnostic> diagnostics) {

    /** Things that did not carry over. */
    public long warnings() {
      return count(Diagnostic.Severity.WARNING);
    }

    /** A file was not YAML. */
    public boolean failed() {
      return count(Diagnostic.Severity.ERROR) > 0;
    }

    private long count(Diagnostic.Severity severity) {
      return diagnostics.stream().filter(d -> d.severity() == severity).count();
    }
  }

  /** Converts files given as name and content, in order. */
  public static Conversion convert(Map<String, String> files) {
    var diagnostics = new ArrayList<Diagnostic>();
    var documents = new ArrayList<YamlDocument>();
    files.forEach(
        (file, text) -> {
          try {
            documents.addAll(YamlDocuments.parse(file, text));
          } catch (YamlDocuments.SyntaxError e) {
            diagnostics.add(
                new Diagnostic(
                    file,
                    e.line(),
                    Diagnostic.Severity.ERROR,
                    "",
                    "invalid YAML at column " + e.column() + ": " + e.getMessage()));
          }
        });
    var inputs = new Inputs(documents);
    for (YamlDocument doc : documents) {
      if (isArgo(doc) && doc.kind().equals("Rollout")) {
        YamlDocument workload = ArgoRollout.workloadOf(doc, inputs);
        if (workload != null) {
          inputs.consume(workload);
        }
      } else if (isFlagger(doc) && doc.kind().equals("Canary")) {
        FlaggerCanary.parts(doc, inputs).forEach(inputs::consume);
      }
    }
    var objects = new ArrayList<Converted>();
    for (YamlDocument doc : documents) {
      if (!inputs.consumed(doc)) {
        objects.addAll(convert(new Source(doc, diagnostics), inputs));
      }
    }
    var order = new ArrayList<>(files.keySet());
    diagnostics.sort(
        Comparator.comparingInt((Diagnostic d) -> order.indexOf(d.file()))
            .thenComparingInt(Diagnostic::line));
    return new Conversion(objects, diagnostics);
  }

  private static boolean isArgo(YamlDocument doc) {
    return doc.apiVersion().startsWith("argoproj.io/");
  }

  private static boolean isFlagger(YamlDocument doc) {
    return doc.apiVersion().startsWith(FlaggerCanary.GROUP + "/");
  }

  private static List<Converted> convert(Source src, Inputs inputs) {
    YamlDocument doc = src.doc;
    if (isArgo(doc)) {
      topLevel(src);
      ObjectNode object =
          switch (doc.kind()) {
            case "Rollout" -> ArgoRollout.convert(src, inputs);
            case "AnalysisTemplate", "ClusterAnalysisTemplate" -> ArgoAnalysis.template(src);
            case "AnalysisRun" -> ArgoAnalysis.run(src);
            default -> {
              src.warn("kind", "Weir has no " + doc.kind() + ": left out");
              yield null;
            }
          };
      return object == null
          ? List.of()
          : List.of(
              new Converted(
                  List.of(
                      "From "
                          + src.describe()
                          + " of "
                          + doc.apiVersion()
                          + " ("
                          + src.where()
                          + ")."),
                  object));
    }
    if (isFlagger(doc)) {
      return switch (doc.kind()) {
        case "Canary" -> FlaggerCanary.convert(src, inputs);
        case "MetricTemplate" -> {
          src.warn(
              "",
              "no Canary in the files given uses it: in Weir a query lives in the metric of an"
                  + " AnalysisTemplate, so it is converted with the Canary that names it; left"
                  + " out");
          yield List.of();
        }
        default -> {
          src.warn("kind", "Weir has no " + doc.kind() + ": left out");
          yield List.of();
        }
      };
    }
    return List.of(new Converted(List.of("From " + src.where() + ", as it is."), passThrough(src)));
  }

  private static void topLevel(Source src) {
    src.doc
        .value()
        .fieldNames()
        .forEachRemaining(
            field -> {
              if (!List.of("apiVersion", "kind", "metadata", "spec", "status").contains(field)) {
                src.warn(
                    field, "not a field of " + src.doc.kind() + " that convert knows: left out");
              }
            });
  }

  /**
   * An object that is not a peer's, as it is; but a Service's selector loses the label Argo
   * Rollouts added to it at run time ({@code kubectl get -o yaml} shows it), which no pod of Weir's
   * carries.
   */
  private static ObjectNode passThrough(Source src) {
    ObjectNode object = src.doc.value().deepCopy();
    JsonNode selector = object.path("spec").path("selector");
    if (src.doc.kind().equals("Service")
        && selector instanceof ObjectNode labels
        && labels.has("rollouts-pod-template-hash")) {
      labels.remove("rollouts-pod-template-hash");
      src.note(
          "spec.selector.rollouts-pod-template-hash",
          "Argo Rollouts set this label; Weir sets weir.dev/pod-template-hash instead: left out");
    }
    return object;
  }
}
