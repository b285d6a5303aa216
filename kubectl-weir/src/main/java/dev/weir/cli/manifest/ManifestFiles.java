package dev.weir.cli.manifest;

import dev.weir.cli.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The files a command's {@code -f} names, as kubectl reads them: a file, a directory, or stdin. */
public final class ManifestFiles {

  /** The name stdin goes by in messages. */
  public static final String STDIN = "<stdin>";

  private ManifestFiles() {}

  /** The files' contents by name, directories expanded, in the order given. */
  public static Map<String, String> read(List<String> names, InputStream stdin) throws IOException {
    var files = new LinkedHashMap<String, String>();
    for (String name : names) {
      if (name.equals("-")) {
        files.put(STDIN, new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
        continue;
      }
      Path path = Path.of(name);
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          for (Path p :
              walk.filter(Files::isRegularFile).filter(ManifestFiles::manifest).sorted().toList()) {
            files.put(p.toString(), Files.readString(p));
          }
        }
        continue;
      }
      try {
        files.put(name, Files.readString(path));
      } catch (NoSuchFileException e) {
        throw CliException.error("the path \"" + name + "\" does not exist");
      }
    }
    return files;
  }

  private static boolean manifest(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }
}
