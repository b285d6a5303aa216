# shellcheck shell=bash
# What every benchmark script does: build the test sources (bench/java is one of their roots: the
# benchmarks drive the test fixtures), ask Maven for the test class path, and run the benchmark's
# class in a JVM of its own, so that its exit status is the benchmark's (2 when the build fails).
# Maven's output, its errors included, goes to stderr: stdout is the benchmark's table. Spotless
# is skipped: a benchmark run does not reformat the tree.
#
#   source bench/lib.sh; run_bench NAME CLASS [--package] -- ARGS...
#
# --package also packages the application and the plugin first (mvn package -DskipTests).

run_bench() {
    local name=$1 class=$2 package=false
    shift 2
    if [[ ${1:-} == --package ]]; then
        package=true
        shift
    fi
    [[ ${1:-} == -- ]] && shift
    local dependency_plugin=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
    local classpath_file=target/bench/test-classpath.txt
    if { $package && ! mvn -B -q package -DskipTests -Dspotless.skip=true >&2; } ||
        ! mvn -B -q test-compile -Dspotless.skip=true >&2 ||
        ! mvn -B -q "$dependency_plugin:build-classpath" \
            -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file" >&2; then
        echo "$name: the build failed" >&2
        exit 2
    fi
    exec java \
        -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
        -Dlogging.configuration="file:bench/logging.properties" \
        -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
        "dev.weir.bench.$class" "$@"
}
