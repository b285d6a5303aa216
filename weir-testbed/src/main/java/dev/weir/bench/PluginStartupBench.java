package dev.weir.bench;

import dev.weir.api.v1alpha1.RolloutPhase;
import dev.weir.testing.Manifests;
import dev.weir.testing.PodKubelet;
import dev.weir.testing.RealControlPlane;
import dev.weir.testing.RolloutScenario;
import dev.weir.testing.RunningWeir;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold start of {@code kubectl weir get rollout}: each run a new process, from kubectl's start to
 * its exit, against a real API server (kube-apiserver + etcd on loopback, TLS with a client
 * certificate, as {@code hack/kube-up.sh} sets it up) holding the example canary paused at 10 %.
 *
 * <p>Beside it, for scale: the plugin without kubectl in front, the plugin without its
 * class-data-sharing archive, {@code kubectl weir version} (no cluster), kubectl's own {@code
 * kubectl get} of the same rollout, and two patches ({@code pause}, {@code resume}). The variants
 * run in turns, so that the machine's load, which other work on it changes, falls on all of them
 * alike.
 *
 * <p>Exit status: 0 when the median of {@code kubectl weir get rollout} is under the target, 1 when
 * not, 2 when the benchmark could not be carried out.
 */
public final class PluginStartupBench {

  static final long TARGET_MS = 500;

  record Variant(String name, List<String> command, Map<String, String> env) {}

  public static void main(String[] args) {
    BenchMain.run("plugin-startup", args, 15, PluginStartupBench::run);
  }

  static int run(int runs) throws Exception {
    Path plugin =
        Path.of(System.getProperty("weir.plugin.dir", "kubectl-weir/target/kubectl-weir"))
            .toAbsolutePath();
    if (!Files.isExecutable(plugin.resolve("kubectl-weir"))) {
      throw new IllegalStateException(plugin + "/kubectl-weir is missing: run mvn package");
    }
    String kubectl = which("kubectl");
    var cluster = RealControlPlane.shared();
    var admin = cluster.admin();
    Manifests.apply(admin, "examples/canary-istio/namespace.yaml");
    Manifests.apply(admin, "examples/canary-istio/services.yaml");
    Manifests.apply(admin, "examples/canary-istio/virtualservice.yaml");
    try (var kubelet = new PodKubelet(admin).start();
        var weir = RunningWeir.start(cluster.operator())) {
      admin.resource(Manifests.compressedClassicCanary()).create();
      var checkout = new RolloutScenario(admin, "shop", "checkout");
      checkout.awaitStatus("v1 healthy", s -> s.phase == RolloutPhase.Healthy);
      checkout.setImage("registry.example/checkout:2.5.0");
      checkout.awaitStatus("v2 paused at 10 %", s -> s.phase == RolloutPhase.Paused);
    }
    // The controller and the kubelet are stopped: the rollout stays as it is, and the machine
    // runs nothing of the benchmark's own while it measures.

    Path home = Files.createTempDirectory("plugin-startup-home-");
    var env = new LinkedHashMap<String, String>();
    env.put("PATH", plugin + File.pathSeparator + new File(kubectl).getParent() + ":/usr/bin:/bin");
    env.put("HOME", home.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("KUBECONFIG", cluster.dir().resolve("admin.kubeconfig").toString());
    var noCds = new LinkedHashMap<>(env);
    noCds.put("KUBECTL_WEIR_CDS", "off");
    List<String> get = List.of("get", "rollout", "checkout", "-n", "shop");
    var variants =
        List.of(
            new Variant("kubectl weir get rollout checkout", concat(kubectl, "weir", get), env),
            new Variant(
                "kubectl-weir get rollout (no kubectl)",
                concat(plugin + "/kubectl-weir", null, get),
                env),
            new Variant(
                "kubectl weir get rollout, no CDS archive", concat(kubectl, "weir", get), noCds),
            new Variant(
                "kubectl weir version (no cluster)", List.of(kubectl, "weir", "version"), env),
            new Variant(
                "kubectl get wro checkout (kubectl alone)",
                List.of(kubectl, "get", "wro", "checkout", "-n", "shop"),
                env),
            // A patch through the fabric8 client; in turns, each resume undoes the pause before.
            new Variant(
                "kubectl weir pause checkout (a patch)",
                List.of(kubectl, "weir", "pause", "checkout", "-n", "shop"),
                env),
            new Variant(
                "kubectl weir resume checkout (a patch)",
                List.of(kubectl, "weir", "resume", "checkout", "-n", "shop"),
                env));

    // Not counted: the first run makes the archive if the build did not, and warms the disk cache.
    for (var v : variants) {
      int code = time(v).exitCode;
      if (code != 0) {
        throw new IllegalStateException(v.name + " exited with " + code);
      }
    }
    var machine = Machine.before();
    Map<Variant, List<Long>> times = new LinkedHashMap<>();
    Map<Variant, List<Long>> cpus = new LinkedHashMap<>();
    variants.forEach(v -> times.put(v, new ArrayList<>()));
    variants.forEach(v -> cpus.put(v, new ArrayList<>()));
    for (int i = 0; i < runs; i++) {
      for (var v : variants) {
        var t = time(v);
        if (t.exitCode != 0) {
          throw new IllegalStateException(v.name + " exited with " + t.exitCode);
        }
        times.get(v).add(t.millis);
        cpus.get(v).add(t.cpuMillis);
      }
    }
    machine.after();

    System.out.println(
        "kubectl weir: cold start against a real API server (" + runs + " runs each, in turns)");
    System.out.println();
    System.out.printf("%-44s %8s %8s %8s %10s%n", "command", "median", "min", "max", "CPU median");
    System.out.println("-".repeat(83));
    long headline = 0;
    for (var e : times.entrySet()) {
      var sorted = e.getValue().stream().sorted().toList();
      long median = sorted.get(sorted.size() / 2);
      if (e.getKey() == variants.get(0)) {
        headline = median;
      }
      var cpuSorted = cpus.get(e.getKey()).stream().sorted().toList();
      long cpuMedian = cpuSorted.get(cpuSorted.size() / 2);
      System.out.printf(
          "%-44s %6d ms %5d ms %5d ms %7s%n",
          e.getKey().name,
          median,
          sorted.get(0),
          sorted.get(sorted.size() - 1),
          cpuMedian < 0 ? "-" : cpuMedian + " ms");
    }
    System.out.println("-".repeat(83));
    boolean met = headline < TARGET_MS;
    System.out.printf(
        "target: kubectl weir get rollout under %d ms (median) -> %s%n",
        TARGET_MS, met ? "met" : "NOT met");
    System.out.println();
    System.out.println("conditions");
    System.out.print(machine.describe());
    System.out.printf("  kubectl    %s%n", firstLine(kubectl, "version", "--client"));
    System.out.printf(
        "  server     kube-apiserver %s on loopback, TLS with a client certificate%n",
        serverVersion(kubectl, env));
    System.out.printf(
        "  plugin     %s, archive %s%n",
        Path.of("").toAbsolutePath().relativize(plugin), archive(plugin));
    System.out.println(
        "  rollout    shop/checkout, examples/canary-istio, v2 paused at step 2/6: 2 revisions, 2"
            + " ReplicaSets");
    System.out.println(
        "  measured   wall clock from the start of the process to its exit, output discarded;"
            + " CPU: user + system time of the process (GNU time), all its threads");
    return met ? 0 : 1;
  }

  /**
   * @param cpuMillis user and system CPU time of the process (GNU time), or -1 without it
   */
  record Timing(long millis, long cpuMillis, int exitCode) {}

  /** GNU time, for the CPU time of each run: wall time alone mostly measures the machine's load. */
  static final String GNU_TIME = new File("/usr/bin/time").canExecute() ? "/usr/bin/time" : null;

  static Timing time(Variant v) throws IOException, InterruptedException {
    var command = new ArrayList<String>();
    Path cpu = null;
    if (GNU_TIME != null) {
      cpu = Files.createTempFile("plugin-startup-cpu-", ".txt");
      command.addAll(List.of(GNU_TIME, "-f", "%U %S", "-o", cpu.toString()));
    }
    command.addAll(v.command);
    var builder =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(v.env);
    long t0 = System.nanoTime();
    var process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(v.name + " did not end within 120 s");
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    long cpuMillis = -1;
    if (cpu != null) {
      String[] parts = Files.readString(cpu).trim().split("\\s+");
      cpuMillis = Math.round((Double.parseDouble(parts[0]) + Double.parseDouble(parts[1])) * 1000);
      Files.delete(cpu);
    }
    return new Timing(millis, cpuMillis, process.exitValue());
  }

  static List<String> concat(String first, String second, List<String> rest) {
    var all = new ArrayList<String>();
    all.add(first);
    if (second != null) {
      all.add(second);
    }
    all.addAll(rest);
    return all;
  }

  static String which(String name) {
    for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
      if (new File(dir, name).canExecute()) {
        return new File(dir, name).getPath();
      }
    }
    throw new IllegalStateException(name + " is not on PATH");
  }

  static String firstLine(String... command) {
    try {
      var p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor(30, TimeUnit.SECONDS);
      return out.lines().findFirst().orElse("");
    } catch (IOException | InterruptedException e) {
      return "unknown";
    }
  }

  static String serverVersion(String kubectl, Map<String, String> env) {
    try {
      var builder = new ProcessBuilder(kubectl, "version").redirectErrorStream(true);
      builder.environment().putAll(env);
      var p = builder.start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(30, TimeUnit.SECONDS);
      return out.lines()
          .filter(l -> l.startsWith("Server Version"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException | InterruptedException e) {
      return "unknown";
    }
  }

  static String archive(Path plugin) throws IOException {
    try (var files = Files.list(plugin.resolve("lib"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".jsa")).toList()) {
        return p.getFileName() + " (" + Files.size(p) / (1024 * 1024) + " MiB)";
      }
      return "none";
    }
  }
}
