package dev.weir.cli.review;

/**
 * Where a reviewer finds a field: a file of the repository, relative to its top folder, and a
 * 1-based line.
 */
public record Location(String file, int line) {}
