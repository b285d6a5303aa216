package dev.weir.cli.review;

import dev.weir.cli.CliException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;

/**
 * Writes out the two sides of a review, each in a folder of its own: a git revision of the
 * repository (read with JGit from the repository's objects; the work tree is left alone), the
 * repository's working tree (what {@code git diff BASE} compares with, without the ignored files),
 * or a folder. Kustomize then builds each side's overlays as the GitOps tool would.
 */
final class ReviewSides implements AutoCloseable {

  private final Path workspace;
  private final Path start;
  private Repository repository;

  /**
   * @param start the folder the repository is found from (the current folder, or {@code --repo})
   */
  ReviewSides(Path start) throws IOException {
    this.start = start;
    this.workspace = Files.createTempDirectory("weir-review-");
  }

  /**
   * One side: a git revision if {@code what} is one (a branch, a tag, a commit, {@code HEAD~1},
   * {@code origin/main}), else a folder; {@code null} for the working tree.
   *
   * @param role {@code base} or {@code head}: the side's folder in the workspace
   */
  SideFiles side(String role, String what) throws IOException {
    Path tree = workspace.resolve(role).resolve("tree");
    Files.createDirectories(tree);
    if (what == null) {
      Repository repo = repository(true);
      copyWorkingTree(repo, tree);
      return new SideFiles("the working tree", tree, "");
    }
    Repository repo = repository(false);
    if (repo != null) {
      ObjectId commit = resolve(repo, what);
      if (commit != null) {
        return writeCommit(repo, what, commit, tree);
      }
    }
    Path folder = Path.of(what);
    if (!folder.isAbsolute()) {
      folder = start.resolve(what);
    }
    if (Files.isDirectory(folder)) {
      copyFolder(folder, tree);
      return new SideFiles(what, tree, what.endsWith("/") ? what : what + "/");
    }
    throw CliException.error(
        "\""
            + what
            + "\" is neither a revision of "
            + (repo == null ? "a git repository (none found from " + start + ")" : "the repository")
            + " nor a folder");
  }

  private Repository repository(boolean required) throws IOException {
    if (repository == null) {
      var builder = new FileRepositoryBuilder().readEnvironment().findGitDir(start.toFile());
      if (builder.getGitDir() == null) {
        if (required) {
          throw CliException.error(
              "not in a git repository (from "
                  + start
                  + "): give the head as a revision or a folder, or --repo");
        }
        return null;
      }
      repository = builder.setMustExist(true).build();
    }
    return repository;
  }

  private static ObjectId resolve(Repository repo, String revision) throws IOException {
    try {
      return repo.resolve(revision + "^{commit}");
    } catch (IllegalArgumentException | IncorrectObjectTypeException e) {
      return null; // not a revision's syntax (RevisionSyntaxException), or not a commit
    } catch (AmbiguousObjectException e) {
      throw CliException.error(
          "\"" + revision + "\" is ambiguous: it names several objects; give more of the id");
    }
  }

  private SideFiles writeCommit(Repository repo, String revision, ObjectId id, Path tree)
      throws IOException {
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk files = new TreeWalk(repo)) {
      RevCommit commit = walk.parseCommit(id);
      files.addTree(commit.getTree());
      files.setRecursive(true);
      while (files.next()) {
        FileMode mode = files.getFileMode(0);
        if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
          continue; // a symbolic link or a submodule: not a manifest
        }
        Path target = tree.resolve(files.getPathString());
        Files.createDirectories(target.getParent());
        try (InputStream in = repo.open(files.getObjectId(0)).openStream()) {
          Files.copy(in, target);
        }
      }
      return new SideFiles(revision + " (" + commit.abbreviate(7).name() + ")", tree, "");
    }
  }

  /** The working tree's files, as git sees them: without .git and what .gitignore ignores. */
  private static void copyWorkingTree(Repository repo, Path tree) throws IOException {
    if (repo.isBare()) {
      throw CliException.error("the repository has no working tree: give the head as a revision");
    }
    try (TreeWalk walk = new TreeWalk(repo)) {
      walk.addTree(new FileTreeIterator(repo));
      walk.setRecursive(false);
      while (walk.next()) {
        WorkingTreeIterator entry = walk.getTree(0, WorkingTreeIterator.class);
        if (entry.isEntryIgnored()) {
          continue;
        }
        if (walk.isSubtree()) {
          walk.enterSubtree();
          continue;
        }
        FileMode mode = walk.getFileMode(0);
        if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
          continue;
        }
        Path target = tree.resolve(walk.getPathString());
        Files.createDirectories(target.getParent());
        Files.copy(repo.getWorkTree().toPath().resolve(walk.getPathString()), target);
      }
    }
  }

  private static void copyFolder(Path folder, Path tree) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        Path relative = folder.relativize(p);
        if (relative.startsWith(".git")) {
          continue;
        }
        Path target = tree.resolve(relative.toString().replace(File.separatorChar, '/'));
        Files.createDirectories(target.getParent());
        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Removes the sides' folders. */
  @Override
  public void close() throws IOException {
    if (repository != null) {
      repository.close();
    }
    try (Stream<Path> walk = Files.walk(workspace)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
