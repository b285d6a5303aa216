package dev.weir.bench;

/**
 * The {@code --runs N} argument and the exit statuses of the start-up benchmarks: the benchmark's
 * own (0 target met, 1 not), or 2 with the cause when it could not be carried out.
 */
final class BenchMain {

  interface Body {
    /**
     * @return 0 when the target is met, 1 when not
     */
    int run(int runs) throws Exception;
  }

  private BenchMain() {}

  static void run(String name, String[] args, int defaultRuns, Body body) {
    int runs = defaultRuns;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--runs") && i + 1 < args.length) {
        runs = Integer.parseInt(args[++i]);
      }
    }
    try {
      System.exit(body.run(runs));
    } catch (Exception | AssertionError e) {
      System.err.println(name + ": could not be carried out: " + e);
      e.printStackTrace();
      System.exit(2);
    }
  }
}
