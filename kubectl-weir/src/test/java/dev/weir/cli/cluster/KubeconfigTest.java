package dev.weir.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which cluster, credentials and namespace a kubeconfig names, read as kubectl reads it. */
class KubeconfigTest {

  @TempDir Path dir;

  Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  static String config(String current, String context, String cluster, String extra) {
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: Config",
        current == null ? "" : "current-context: " + current,
        "clusters:",
        "- name: " + cluster,
        "  cluster:",
        "    server: https://" + cluster + ".example:6443",
        "    certificate-authority: ca.crt",
        "users:",
        "- name: " + cluster + "-admin",
        "  user:",
        "    token: secret-" + cluster,
        extra,
        "contexts:",
        "- name: " + context,
        "  context: {cluster: "
            + cluster
            + ", user: "
            + cluster
            + "-admin, namespace: ns-"
            + cluster
            + "}",
        "");
  }

  @Test
  void theFirstFileOfKubeconfigSetsTheCurrentContextAndRelativePathsFollowTheirFile()
      throws IOException {
    Files.createDirectories(dir.resolve("a"));
    Files.writeString(dir.resolve("a/ca.crt"), "CA of a");
    Files.writeString(dir.resolve("ca.crt"), "CA of b");
    Path a = write("a/config", config("one", "one", "a", ""));
    Path b = write("b-config", config("two", "two", "b", ""));
    var env = Map.of("KUBECONFIG", a + ":" + dir.resolve("missing") + ":" + b, "HOME", "/none");

    var target = Kubeconfig.resolve(null, null, env);
    var other = Kubeconfig.resolve(null, "two", env);

    assertThat(target.context()).isEqualTo("one");
    assertThat(target.server()).isEqualTo("https://a.example:6443");
    assertThat(target.hostPort()).isEqualTo("a.example:6443");
    assertThat(target.namespace()).isEqualTo("ns-a");
    assertThat(target.token()).isEqualTo("secret-a");
    assertThat(new String(target.certificateAuthority(), StandardCharsets.UTF_8))
        .isEqualTo("CA of a");
    assertThat(target.delegated()).isFalse();
    assertThat(other.server()).isEqualTo("https://b.example:6443");
    assertThat(Kubeconfig.contexts(null, env)).containsExactly("one", "two");
  }

  @Test
  void inlineDataAndTheFlagFileWinOverTheEnvironment() throws IOException {
    String data = Base64.getEncoder().encodeToString("inline CA".getBytes(StandardCharsets.UTF_8));
    Path flag =
        write(
            "flag",
            config("one", "one", "c", "")
                .replace("certificate-authority: ca.crt", "certificate-authority-data: " + data));

    var target = Kubeconfig.resolve(flag.toString(), null, Map.of("KUBECONFIG", "/nowhere"));

    assertThat(new String(target.certificateAuthority(), StandardCharsets.UTF_8))
        .isEqualTo("inline CA");
  }

  @Test
  void execCredentialsAreLeftToFabric8() throws IOException {
    Files.writeString(dir.resolve("ca.crt"), "CA");
    Path config =
        write(
            "config",
            config("one", "one", "a", "    exec: {command: gke-gcloud-auth-plugin}")
                .replace("    token: secret-a\n", ""));

    var target = Kubeconfig.resolve(config.toString(), null, Map.of());

    assertThat(target.delegated()).isTrue();
    assertThat(target.delegatedBecause()).isEqualTo("user \"a-admin\" authenticates with exec");
  }

  @Test
  void whatIsMissingIsSaidAsKubectlSaysIt() throws IOException {
    Files.writeString(dir.resolve("ca.crt"), "CA");
    Path noCurrent = write("no-current", config(null, "one", "a", ""));

    assertThatThrownBy(() -> Kubeconfig.resolve(dir.resolve("none").toString(), null, Map.of()))
        .hasMessage("error: stat " + dir.resolve("none") + ": no such file or directory");
    assertThatThrownBy(() -> Kubeconfig.resolve(noCurrent.toString(), "other", Map.of()))
        .hasMessage("error: context \"other\" does not exist");
    assertThatThrownBy(() -> Kubeconfig.resolve(noCurrent.toString(), null, Map.of()))
        .hasMessageStartingWith("error: no context is set in " + noCurrent);
    assertThatThrownBy(
            () -> Kubeconfig.resolve(null, null, Map.of("HOME", dir.resolve("home").toString())))
        .hasMessage(
            "error: no configuration has been provided: set KUBECONFIG, create ~/.kube/config, or"
                + " pass --kubeconfig");
  }
}
