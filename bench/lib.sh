# shellcheck shell=bash
# What every benchmark script does: build the testbed (the benchmarks drive its fixtures and run
# from its jar and lib/, beside the demo), and run the benchmark's class in a JVM of its own, so
# that its exit status is the benchmark's (2 when the build fails). Maven's output, its errors
# included, goes to stderr: stdout is the benchmark's table. Spotless is skipped: a benchmark run
# does not reformat the tree.
#
#   source bench/lib.sh; run_bench NAME CLASS -- ARGS...
#
# The build packages every module (mvn package -DskipTests), so a benchmark of the packaged
# controller or plugin measures what the tree holds now.

run_bench() {
    local name=$1 class=$2
    shift 2
    [[ ${1:-} == -- ]] && shift
    if ! mvn -B -q package -DskipTests -Dspotless.skip=true >&2; then
        echo "$name: the build failed" >&2
        exit 2
    fi
    exec java \
        -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
        -cp "$(testbed_classpath)" \
        "dev.weir.bench.$class" "$@"
}

# The testbed's jar and its run-time dependencies (weir-testbed/target/lib, made by its build).
testbed_classpath() {
    local jar
    jar=$(ls weir-testbed/target/weir-testbed-*.jar | grep -v -- '-sources\|-tests' | head -1)
    echo "$jar:weir-testbed/target/lib/*"
}
