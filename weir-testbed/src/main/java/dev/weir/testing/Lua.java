package dev.weir.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an Argo CD Lua script (a health check or an action) with Debian's {@code lua5.1}, the Lua
 * version Argo CD embeds (gopher-lua): the object goes in as the global {@code obj}, as Argo CD
 * passes it, and {@code then} (Lua code) prints what the test reads from the script's result.
 */
public final class Lua {

  public static final String BINARY = "/usr/bin/lua5.1";

  private Lua() {}

  /** The printed lines of {@code then}, run with {@code result} bound to the script's return. */
  public static String run(Path script, JsonNode obj, String then) {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException(
          BINARY + " is missing: install Debian's package lua5.1 (.ci/run does)");
    }
    try {
      String program =
          "obj = "
              + table(obj)
              + "\nlocal result = (function()\n"
              + Files.readString(script)
              + "\nend)()\n"
              + then
              + "\n";
      Path file = Files.createTempFile("weir-lua-", ".lua");
      try {
        Files.writeString(file, program);
        var process = new ProcessBuilder(BINARY, file.toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
          throw new IllegalStateException(script + " failed under lua5.1:\n" + out);
        }
        return out.strip();
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A JSON value as a Lua table constructor: objects are tables with keys, arrays from 1. */
  static String table(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "nil";
    }
    if (node.isBoolean() || node.isNumber()) {
      return node.asText();
    }
    if (node.isTextual()) {
      return quoted(node.asText());
    }
    var out = new StringBuilder("{");
    if (node.isArray()) {
      for (JsonNode item : node) {
        out.append(table(item)).append(",");
      }
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var field = it.next();
        out.append("[").append(quoted(field.getKey())).append("]=");
        out.append(table(field.getValue())).append(",");
      }
    }
    return out.append("}").toString();
  }

  private static String quoted(String text) {
    var out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\%03d", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append("\"").toString();
  }
}
