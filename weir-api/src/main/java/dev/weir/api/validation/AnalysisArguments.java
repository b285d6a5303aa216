package dev.weir.api.validation;

import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.v1alpha1.SpecProblem;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Checks of a list of args: names unique, each with at most one source. */
public final class AnalysisArguments {

  private AnalysisArguments() {}

  public static void validate(
      String field, List<AnalysisArgument> args, List<SpecProblem> problems) {
    var seen = new HashSet<String>();
    for (int i = 0; i < args.size(); i++) {
      var arg = args.get(i);
      String at = field + "[" + i + "]";
      if (arg == null) {
        problems.add(new SpecProblem(at, "is empty: name and a value are required"));
        continue;
      }
      if (arg.name == null || arg.name.isBlank()) {
        problems.add(new SpecProblem(at + ".name", "is required"));
        continue;
      }
      if (!seen.add(arg.name)) {
        problems.add(new SpecProblem(at + ".name", "'" + arg.name + "' is given twice"));
      }
      if (arg.value != null && arg.valueFrom != null) {
        problems.add(new SpecProblem(at, "set either value or valueFrom, not both"));
      }
      if (arg.valueFrom != null) {
        var from = arg.valueFrom;
        long sources =
            Stream.of(from.secretKeyRef, from.fieldRef, from.podTemplateHashValue)
                .filter(Objects::nonNull)
                .count();
        if (sources != 1) {
          problems.add(
              new SpecProblem(
                  at + ".valueFrom",
                  "exactly one of secretKeyRef, fieldRef, podTemplateHashValue must be set"));
        }
        if (from.secretKeyRef != null
            && (blank(from.secretKeyRef.getName()) || blank(from.secretKeyRef.getKey()))) {
          problems.add(
              new SpecProblem(at + ".valueFrom.secretKeyRef", "name and key are required"));
        }
        if (from.fieldRef != null && blank(from.fieldRef.getFieldPath())) {
          problems.add(new SpecProblem(at + ".valueFrom.fieldRef.fieldPath", "is required"));
        }
      }
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
