package dev.weir.cli.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.HelpCommand;

/**
 * The verbs of {@code kubectl weir}, for the root command to register: a supplier each, so that
 * only the command invoked is built.
 */
public final class Commands {

  /** The commands, by name, in the order help lists them. */
  public static final Map<String, Supplier<Object>> BY_NAME = byName();

  private Commands() {}

  private static Map<String, Supplier<Object>> byName() {
    var commands = new LinkedHashMap<String, Supplier<Object>>();
    commands.put("get", GetCommand::new);
    commands.put("list", ListCommand::new);
    commands.put("promote", PromoteCommand::new);
    commands.put("abort", AbortCommand::new);
    commands.put("retry", RetryCommand::new);
    commands.put("pause", PauseCommand::new);
    commands.put("resume", ResumeCommand::new);
    commands.put("undo", UndoCommand::new);
    commands.put("set", SetCommand::new);
    commands.put("restart", RestartCommand::new);
    commands.put("status", StatusCommand::new);
    commands.put("lint", LintCommand::new);
    commands.put("convert", ConvertCommand::new);
    commands.put("version", VersionCommand::new);
    commands.put("completion", CompletionCommand::new);
    commands.put("help", HelpCommand::new);
    return Collections.unmodifiableMap(commands);
  }
}
