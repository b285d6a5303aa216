package dev.weir.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What a mutating admission webhook does, done by the fabric8 mock server (which has no admission
 * chain): a write of a held object is applied to the stored object here, amended by the hold, and
 * stored once, or not at all when it changes nothing, as the real API server does with a write that
 * a webhook turned into a no-op. No watcher ever sees the write as it was sent. Give it to {@link
 * MockTier#MockTier(Supplier)}: it makes each story's dispatcher.
 */
public final class MockAdmission implements FieldHolder, Supplier<KubernetesCrudDispatcher> {

  private final Map<String, Held> holds = new ConcurrentHashMap<>();

  /** A fresh dispatcher for a story's server; the last story's holds are gone with it. */
  @Override
  public KubernetesCrudDispatcher get() {
    holds.clear();
    return new AmendingDispatcher();
  }

  @Override
  public Hold hold(HasMetadata target, String jsonPatch) {
    String key =
        key(
            HasMetadata.getGroup(target.getClass()),
            HasMetadata.getPlural(target.getClass()),
            target.getMetadata().getNamespace(),
            target.getMetadata().getName());
    var held = new Held(key, Serialization.unmarshal(jsonPatch, JsonNode.class));
    holds.put(key, held);
    return held;
  }

  private final class Held implements Hold {
    private final String key;
    private final JsonNode patch;
    private final AtomicInteger amended = new AtomicInteger();

    private Held(String key, JsonNode patch) {
      this.key = key;
      this.patch = patch;
    }

    @Override
    public int amended() {
      return amended.get();
    }

    @Override
    public void close() {
      holds.remove(key, this);
    }
  }

  /** {@code group/plural/namespace/name}: the same object whichever version a writer names. */
  private static String key(String group, String plural, String namespace, String name) {
    return (group == null ? "" : group) + "/" + plural + "/" + namespace + "/" + name;
  }

  /** The held object a request writes, if it writes one. */
  private Held heldBy(RecordedRequest request) {
    if (request.method() != HttpMethod.PATCH && request.method() != HttpMethod.PUT) {
      return null;
    }
    String path = request.getPath().split("\\?", 2)[0];
    List<String> parts = List.of(path.substring(1).split("/"));
    // /api/v1/namespaces/NS/PLURAL/NAME or /apis/GROUP/VERSION/namespaces/NS/PLURAL/NAME
    int at = parts.indexOf("namespaces");
    if (at < 0 || parts.size() != at + 4) {
      return null;
    }
    String group = parts.get(0).equals("api") ? "" : parts.get(1);
    return holds.get(key(group, parts.get(at + 2), parts.get(at + 1), parts.get(at + 3)));
  }

  private final class AmendingDispatcher extends KubernetesCrudDispatcher {

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
      Held held = heldBy(request);
      if (held == null) {
        return super.dispatch(request);
      }
      String path = request.getPath().split("\\?", 2)[0];
      MockResponse current = super.dispatch(request(HttpMethod.GET, path, null, null));
      if (current.code() != 200) {
        return super.dispatch(request);
      }
      JsonNode stored = json(current.getBody());
      JsonNode written;
      try {
        written = written(request, stored);
      } catch (RuntimeException e) {
        // A patch that does not apply (a failed test operation): the server's own answer.
        return super.dispatch(request);
      }
      held.amended.incrementAndGet();
      JsonNode amended = JsonPatch.apply(held.patch, written);
      if (amended.equals(stored)) {
        return new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", "application/json")
            .setBody(Serialization.asJson(stored));
      }
      return super.dispatch(
          request(HttpMethod.PUT, path, "application/json", Serialization.asJson(amended)));
    }

    /** The object as the request would write it. */
    private JsonNode written(RecordedRequest request, JsonNode stored) {
      JsonNode body = json(request.getBody());
      if (request.method() == HttpMethod.PUT) {
        return body;
      }
      String type = request.getHeader("Content-Type");
      if (type != null && type.startsWith("application/json-patch+json")) {
        return JsonPatch.apply(body, stored);
      }
      return merged(stored.deepCopy(), body);
    }
  }

  // The bytes as they are: a request may still go to the server as it was sent.
  private static JsonNode json(Buffer body) {
    return Serialization.unmarshal(
        new String(body.getBytes(), java.nio.charset.StandardCharsets.UTF_8), JsonNode.class);
  }

  /** RFC 7386: a merge patch onto a document. */
  private static JsonNode merged(JsonNode target, JsonNode patch) {
    if (!patch.isObject() || !target.isObject()) {
      return patch;
    }
    var object = (ObjectNode) target;
    patch
        .fields()
        .forEachRemaining(
            field -> {
              if (field.getValue().isNull()) {
                object.remove(field.getKey());
              } else {
                JsonNode existing = object.get(field.getKey());
                object.set(
                    field.getKey(),
                    existing == null ? field.getValue() : merged(existing, field.getValue()));
              }
            });
    return object;
  }

  private static RecordedRequest request(
      HttpMethod method, String path, String contentType, String body) {
    var headers = Headers.builder();
    if (contentType != null) {
      headers.add("Content-Type", contentType);
    }
    var buffer = new Buffer();
    if (body != null) {
      buffer.writeUtf8(body);
    }
    return new RecordedRequest("HTTP/1.1", method, path, headers.build(), buffer);
  }
}
