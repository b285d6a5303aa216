package dev.weir.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One identity's requests as the API server saw them: read from its audit log (hack/kube-up.sh
 * audits every request of the users {@code WEIR_KUBE_AUDIT_USERS} names, metadata only), so that
 * they are counted where they arrive, by verb and resource, whatever client made them. A request is
 * counted once, when its answer is complete; a watch when its answer starts (it lasts until the
 * watch ends).
 */
final class AuditedRequests {

  static final Set<String> WRITES =
      Set.of("create", "update", "patch", "delete", "deletecollection");

  /** One request: when it arrived, its verb, and its resource (with its subresource). */
  record Request(Instant at, String verb, String resource) {
    boolean write() {
      return WRITES.contains(verb);
    }
  }

  /** The requests of a window, counted. */
  record Counts(Map<String, Long> byVerb, Map<String, Long> byVerbAndResource, long writes) {
    long total() {
      return byVerb.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path log;
  private final String user;
  private final List<Request> requests = new ArrayList<>();
  private long position;
  private byte[] partial = new byte[0];

  AuditedRequests(Path log, String user) {
    this.log = log;
    this.user = user;
  }

  /** The requests that arrived in [from, to), counted; reads what the log gained first. */
  synchronized Counts between(Instant from, Instant to) {
    readNew();
    var byVerb = new TreeMap<String, Long>();
    var byResource = new TreeMap<String, Long>();
    long writes = 0;
    for (var r : requests) {
      if (r.at().isBefore(from) || !r.at().isBefore(to)) {
        continue;
      }
      byVerb.merge(r.verb(), 1L, Long::sum);
      byResource.merge(r.verb() + " " + r.resource(), 1L, Long::sum);
      if (r.write()) {
        writes++;
      }
    }
    return new Counts(byVerb, byResource, writes);
  }

  /** When the last request of this identity arrived (none: the epoch). */
  synchronized Instant lastRequest() {
    readNew();
    return requests.isEmpty() ? Instant.EPOCH : requests.get(requests.size() - 1).at();
  }

  private void readNew() {
    if (!Files.exists(log)) {
      return;
    }
    try (var channel = FileChannel.open(log, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size <= position) {
        return;
      }
      var buffer = ByteBuffer.allocate((int) Math.min(size - position, Integer.MAX_VALUE - 16));
      channel.read(buffer, position);
      position += buffer.position();
      byte[] bytes = new byte[partial.length + buffer.position()];
      System.arraycopy(partial, 0, bytes, 0, partial.length);
      System.arraycopy(buffer.array(), 0, bytes, partial.length, buffer.position());
      int start = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          take(new String(bytes, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      partial = java.util.Arrays.copyOfRange(bytes, start, bytes.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void take(String line) throws IOException {
    if (line.isBlank() || !line.contains(user)) {
      return;
    }
    JsonNode event = JSON.readTree(line);
    if (!user.equals(event.path("user").path("username").asText())) {
      return;
    }
    String verb = event.path("verb").asText();
    String stage = event.path("stage").asText();
    if (!(verb.equals("watch")
        ? stage.equals("ResponseStarted")
        : stage.equals("ResponseComplete"))) {
      return;
    }
    var object = event.path("objectRef");
    String resource = object.path("resource").asText("(none)");
    if (object.hasNonNull("subresource")) {
      resource += "/" + object.path("subresource").asText();
    }
    requests.add(
        new Request(
            Instant.parse(event.path("requestReceivedTimestamp").asText()), verb, resource));
  }
}
