package dev.weir.cli.view;

import java.util.Map;

/**
 * How output looks: on a terminal, colours, status symbols and box-drawing tree lines; piped or
 * redirected, plain ASCII that {@code grep} and {@code awk} read (no escape codes, no symbols).
 */
public final class Style {

  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String DIM = "\u001b[2m";
  private static final String RED = "\u001b[31m";
  private static final String GREEN = "\u001b[32m";
  private static final String YELLOW = "\u001b[33m";

  private record Look(String symbol, String colour) {}

  private static final Map<String, Look> LOOKS =
      Map.ofEntries(
          Map.entry("Healthy", new Look("✔", GREEN)),
          Map.entry("Successful", new Look("✔", GREEN)),
          Map.entry("Progressing", new Look("◌", YELLOW)),
          Map.entry("Running", new Look("◌", YELLOW)),
          Map.entry("Paused", new Look("‖", YELLOW)),
          Map.entry("Inconclusive", new Look("⚠", YELLOW)),
          Map.entry("Degraded", new Look("✖", RED)),
          Map.entry("Failed", new Look("✖", RED)),
          Map.entry("Error", new Look("⚠", RED)),
          Map.entry("ScaledDown", new Look("•", DIM)),
          Map.entry("Pending", new Look("◷", DIM)));

  static final Style PLAIN = new Style(false);
  public static final Style TERMINAL = new Style(true);

  private final boolean terminal;

  private Style(boolean terminal) {
    this.terminal = terminal;
  }

  /**
   * The style for standard output: a terminal gets colours unless {@code NO_COLOR} is set or {@code
   * TERM} is {@code dumb}. In Java 17 a console exists only when both stdin and stdout are
   * terminals, so {@code kubectl weir get rollout x | less} is plain.
   */
  public static Style forStdout() {
    String term = System.getenv("TERM");
    boolean tty = System.console() != null;
    boolean noColor = System.getenv("NO_COLOR") != null;
    return tty && !noColor && !"dumb".equals(term) ? TERMINAL : PLAIN;
  }

  public boolean terminal() {
    return terminal;
  }

  /** A phase with its symbol and colour, e.g. {@code ✔ Healthy} in green; plain: the word. */
  String status(String phase) {
    if (phase == null) {
      return "";
    }
    if (!terminal) {
      return phase;
    }
    Look look = LOOKS.getOrDefault(phase, new Look("?", DIM));
    return look.colour + look.symbol + " " + phase + RESET;
  }

  /** Visible width of what {@link #status} prints. */
  int width(String phase) {
    if (phase == null) {
      return 0;
    }
    return terminal ? phase.length() + 2 : phase.length();
  }

  String bold(String text) {
    return terminal ? BOLD + text + RESET : text;
  }

  String dim(String text) {
    return terminal ? DIM + text + RESET : text;
  }

  /** An icon before a tree node's name; plain output has none. */
  String icon(String kind) {
    if (!terminal) {
      return "";
    }
    return switch (kind) {
      case "Rollout" -> "⟳ ";
      case "Revision" -> "# ";
      case "ReplicaSet" -> "⧉ ";
      case "AnalysisRun" -> "α ";
      default -> "";
    };
  }

  String branch(boolean last) {
    if (terminal) {
      return last ? "└── " : "├── ";
    }
    return last ? "`-- " : "|-- ";
  }

  String pipe(boolean last) {
    if (terminal) {
      return last ? "    " : "│   ";
    }
    return last ? "    " : "|   ";
  }

  /** Marks a step done, current or pending. */
  String stepMark(String state) {
    if (terminal) {
      return switch (state) {
        case "done" -> GREEN + "✔" + RESET;
        case "current" -> YELLOW + "▶" + RESET;
        default -> " ";
      };
    }
    return switch (state) {
      case "done" -> "done   ";
      case "current" -> "current";
      default -> "       ";
    };
  }

  /** Clears the screen before a redraw (terminal only). */
  public String clearScreen() {
    return terminal ? "\u001b[H\u001b[2J" : "";
  }
}
