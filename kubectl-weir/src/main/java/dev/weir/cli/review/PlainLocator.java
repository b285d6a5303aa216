package dev.weir.cli.review;

import dev.weir.cli.manifest.YamlDocument;

/** Fields of an object declared whole in one manifest: at their own lines. */
record PlainLocator(YamlDocument document) implements FieldLocator {

  @Override
  public Location locate(String path) {
    return new Location(document.file(), path.isEmpty() ? document.line() : document.line(path));
  }
}
