package dev.weir.cli.command;

import dev.weir.cli.Json;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code -o json|yaml}: the data behind what the command prints, for scripts. */
enum OutputFormat {
  JSON,
  YAML;

  String write(Object value) {
    return this == JSON ? Json.write(value) + "\n" : Json.writeYaml(value);
  }

  /** Accepts the names kubectl accepts, in any case. */
  static final class Converter implements ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
      try {
        return OutputFormat.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "unable to match a printer suitable for the output format \""
                + value
                + "\", allowed formats are: json, yaml");
      }
    }
  }
}
