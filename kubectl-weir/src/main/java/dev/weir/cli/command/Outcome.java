package dev.weir.cli.command;

import java.io.PrintWriter;
import java.util.List;

/**
 * What an action did, as kubectl reports it ({@code rollout.weir.dev/checkout promoted}), and
 * warnings for stderr ({@code Warning: ...}).
 */
record Outcome(String message, List<String> warnings) {

  static Outcome of(String message) {
    return new Outcome(message, List.of());
  }

  void print(PrintWriter out, PrintWriter err) {
    out.println(message);
    out.flush();
    warnings.forEach(w -> err.println("Warning: " + w));
    err.flush();
  }
}
