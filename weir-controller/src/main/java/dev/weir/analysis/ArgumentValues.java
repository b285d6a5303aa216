package dev.weir.analysis;

import dev.weir.api.v1alpha1.AnalysisArgument;
import dev.weir.api.validation.MetricSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The values of a run's args at one measurement, with the Secret-backed ones read just now. It
 * remembers which values are secret, so that whatever a message repeats of them (a backend that
 * echoes the query, say) is masked before it reaches status, Events or logs.
 */
public final class ArgumentValues {

  static final String MASK = "*****";

  private final Map<String, String> values = new HashMap<>();
  private final List<String> secrets = new ArrayList<>();
  private final Set<String> secretArgs = new HashSet<>();

  /** Reads a key of a Secret; throws {@link MissingValue} with a message naming only the key. */
  public interface SecretReader {
    String read(String secretName, String key);
  }

  /** An arg whose value cannot be read: the measurement is an Error that says which. */
  public static final class MissingValue extends RuntimeException {
    public MissingValue(String message) {
      super(message);
    }
  }

  public static ArgumentValues of(List<AnalysisArgument> args, SecretReader secrets) {
    var values = new ArgumentValues();
    if (args == null) {
      return values;
    }
    for (var arg : args) {
      if (arg.valueFrom != null && arg.valueFrom.secretKeyRef != null) {
        var ref = arg.valueFrom.secretKeyRef;
        String secret = secrets.read(ref.getName(), ref.getKey());
        values.values.put(arg.name, secret);
        values.secretArgs.add(arg.name);
        values.secret(secret);
      } else if (arg.value != null) {
        values.values.put(arg.name, arg.value);
      }
    }
    return values;
  }

  /** Marks a value read from a Secret (a token, a password) as one to mask in messages. */
  public void secret(String value) {
    if (value != null && !value.isEmpty()) {
      secrets.add(value);
    }
  }

  /** The names of the args whose values were read from Secrets. */
  public Set<String> secretArgs() {
    return Set.copyOf(secretArgs);
  }

  /** The text with every {{args.NAME}} replaced by the arg's value. */
  public String substitute(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = MetricSettings.PLACEHOLDER.matcher(text);
    var out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new MissingValue("arg '" + m.group(1) + "' has no value");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The message with every secret value masked. */
  public String mask(String message) {
    if (message == null) {
      return null;
    }
    String masked = message;
    // Longest first: a secret that contains another is masked whole.
    var longestFirst = new ArrayList<>(secrets);
    longestFirst.sort(java.util.Comparator.comparingInt(String::length).reversed());
    for (String secret : longestFirst) {
      masked = masked.replace(secret, MASK);
    }
    return masked;
  }
}
