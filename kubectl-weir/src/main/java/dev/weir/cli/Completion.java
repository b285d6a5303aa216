package dev.weir.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Shell completion in the protocol kubectl (cobra) speaks with its plugins: given the words typed
 * so far, the last one partial, print the candidates one per line ({@code name\tdescription}), then
 * {@code :DIRECTIVE}. kubectl's own bash and zsh completion call {@code kubectl_complete-weir} this
 * way for {@code kubectl weir <TAB>}; the scripts of {@code kubectl weir completion} do the same
 * for {@code kubectl-weir} typed on its own.
 */
final class Completion {

  /** The hidden command shells call. */
  static final String COMMAND = "__complete";

  /** Cobra's directives: leave the shell's file completion off, or on. */
  static final int NO_FILE_COMPLETION = 4;

  static final int DEFAULT = 0;

  /** The candidates and the directive. */
  record Candidates(List<String> lines, int directive) {
    String print() {
      var out = new StringBuilder();
      lines.forEach(l -> out.append(l).append('\n'));
      return out.append(':').append(directive).append('\n').toString();
    }
  }

  /** Where values that need the cluster come from: names of rollouts, namespaces, contexts. */
  interface Lookup {
    List<String> rollouts(Map<String, String> flags);

    List<String> namespaces(Map<String, String> flags);

    List<String> contexts(Map<String, String> flags);
  }

  private Completion() {}

  static Candidates complete(CommandSpec root, List<String> words, Lookup lookup) {
    if (words.isEmpty()) {
      words = List.of("");
    }
    String partial = words.get(words.size() - 1);
    CommandSpec command = root;
    var flags = new java.util.HashMap<String, String>();
    int positionals = 0;
    OptionSpec pendingValue = null;
    for (String word : words.subList(0, words.size() - 1)) {
      if (pendingValue != null) {
        flags.put(pendingValue.longestName(), word);
        pendingValue = null;
        continue;
      }
      if (word.startsWith("-")) {
        String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
        OptionSpec option = option(command, name);
        if (option != null && option.arity().min() > 0 && !word.contains("=")) {
          pendingValue = option;
        } else if (option != null && word.contains("=")) {
          flags.put(option.longestName(), word.substring(word.indexOf('=') + 1));
        }
        continue;
      }
      var sub = command.subcommands().get(word);
      if (sub != null && positionals == 0) {
        command = sub.getCommandSpec();
      } else {
        positionals++;
      }
    }
    if (pendingValue != null) {
      return value(pendingValue, partial, flags, lookup);
    }
    if (partial.startsWith("-")) {
      var lines = new ArrayList<String>();
      for (OptionSpec option : allOptions(command)) {
        for (String name : option.names()) {
          if (name.startsWith(partial) && name.startsWith("--")) {
            lines.add(name + "\t" + first(option.description()));
          }
        }
      }
      return new Candidates(lines, NO_FILE_COMPLETION);
    }
    var lines = new ArrayList<String>();
    if (!command.subcommands().isEmpty() && positionals == 0) {
      command
          .subcommands()
          .forEach(
              (name, sub) -> {
                var spec = sub.getCommandSpec();
                if (name.equals(spec.name())
                    && !spec.usageMessage().hidden()
                    && name.startsWith(partial)) {
                  lines.add(name + "\t" + first(spec.usageMessage().description()));
                }
              });
      return new Candidates(lines, NO_FILE_COMPLETION);
    }
    if (positionals == 0 && takesRolloutName(command)) {
      return new Candidates(matching(safely(lookup::rollouts, flags), partial), NO_FILE_COMPLETION);
    }
    return new Candidates(List.of(), NO_FILE_COMPLETION);
  }

  /**
   * The values of an option: from the cluster or the kubeconfig, files, or the values the option
   * itself lists (an enum's constants, or its {@code completionCandidates}), in lower case.
   */
  private static Candidates value(
      OptionSpec option, String partial, Map<String, String> flags, Lookup lookup) {
    switch (option.longestName()) {
      case "--namespace":
        return new Candidates(
            matching(safely(lookup::namespaces, flags), partial), NO_FILE_COMPLETION);
      case "--context":
        return new Candidates(
            matching(safely(lookup::contexts, flags), partial), NO_FILE_COMPLETION);
      case "--kubeconfig", "--filename", "--diff", "--repo":
        return new Candidates(List.of(), DEFAULT);
      default:
        break;
    }
    var values = new ArrayList<String>();
    if (option.completionCandidates() != null) {
      option.completionCandidates().forEach(v -> values.add(v.toLowerCase(Locale.ROOT)));
    }
    return new Candidates(matching(values, partial), NO_FILE_COMPLETION);
  }

  private static boolean takesRolloutName(CommandSpec command) {
    return command.positionalParameters().stream()
        .anyMatch(p -> "NAME".equals(p.paramLabel()) && p.index().min() == 0);
  }

  /** The command's options and those of the commands above it (-n, --context...). */
  private static List<OptionSpec> allOptions(CommandSpec command) {
    var options = new ArrayList<OptionSpec>();
    for (CommandSpec spec = command; spec != null; spec = spec.parent()) {
      for (OptionSpec option : spec.options()) {
        if (options.stream().noneMatch(o -> o.longestName().equals(option.longestName()))) {
          options.add(option);
        }
      }
    }
    return options;
  }

  private static OptionSpec option(CommandSpec command, String name) {
    for (OptionSpec option : allOptions(command)) {
      for (String n : option.names()) {
        if (n.equals(name)) {
          return option;
        }
      }
    }
    return null;
  }

  private static List<String> matching(List<String> values, String partial) {
    return values.stream().filter(v -> v.startsWith(partial)).toList();
  }

  /** Completion never fails loudly: no cluster, no candidates. */
  private static List<String> safely(
      Function<Map<String, String>, List<String>> lookup, Map<String, String> flags) {
    try {
      return lookup.apply(flags);
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  private static String first(String[] description) {
    if (description == null || description.length == 0) {
      return "";
    }
    String text = description[0];
    int stop = text.indexOf(". ");
    text = stop > 0 ? text.substring(0, stop) : text;
    text = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    return text.length() > 70 ? text.substring(0, 67) + "..." : text;
  }
}
