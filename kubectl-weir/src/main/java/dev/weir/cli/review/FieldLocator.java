package dev.weir.cli.review;

/** Finds the line that declares a field of one object, in the files of its side. */
interface FieldLocator {

  /**
   * @param path a field path as lint writes them ({@code spec.strategy.canary.steps[2]}); for a
   *     field the object does not have, its nearest parent that it has
   */
  Location locate(String path);
}
