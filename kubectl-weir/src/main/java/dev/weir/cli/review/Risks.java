package dev.weir.cli.review;

import java.util.ArrayList;
import java.util.List;

/** The risks a review has found so far, each placed at its field. */
final class Risks {

  private final List<Risk> found = new ArrayList<>();

  void add(Severity severity, Change change, String path, String message) {
    found.add(
        new Risk(
            severity,
            change.at(path),
            change.either().label(),
            change.either().build(),
            path,
            message));
  }

  void add(Risk risk) {
    found.add(risk);
  }

  /** Sorted by file and line. */
  List<Risk> sorted() {
    var sorted = new ArrayList<>(found);
    sorted.sort(null);
    return List.copyOf(sorted);
  }
}
