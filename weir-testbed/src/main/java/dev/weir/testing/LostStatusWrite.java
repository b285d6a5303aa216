package dev.weir.testing;

import io.fabric8.istio.api.networking.v1beta1.VirtualService;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The controller dying between two writes of one reconcile, played by the fabric8 mock server: the
 * first status write of a rollout that follows a write of a VirtualService is refused (403), so the
 * reconcile's traffic change is in the cluster and its record is not, as when the process is killed
 * right after the traffic write. Every VirtualService as written is kept, in order. Give it to
 * {@link MockTier#MockTier(Supplier)}.
 */
public final class LostStatusWrite implements Supplier<KubernetesCrudDispatcher> {

  private final List<VirtualService> written = new ArrayList<>();
  private final AtomicInteger lost = new AtomicInteger();
  private final Predicate<VirtualService> after;
  private int toLose;

  /** Loses the status write after each of the first {@code times} VirtualService writes. */
  public LostStatusWrite(int times) {
    this(vs -> true, times);
  }

  /**
   * Loses the status write after each of the first {@code times} VirtualService writes that leave
   * it as {@code after} says (a canary weight of 0, say).
   */
  public LostStatusWrite(Predicate<VirtualService> after, int times) {
    this.after = after;
    this.toLose = times;
  }

  @Override
  public KubernetesCrudDispatcher get() {
    synchronized (written) {
      written.clear();
    }
    return new Dispatcher();
  }

  /** Every VirtualService as it was stored after each write, oldest first. */
  public List<VirtualService> written() {
    synchronized (written) {
      return List.copyOf(written);
    }
  }

  /** How many status writes were lost. */
  public int lost() {
    return lost.get();
  }

  private final class Dispatcher extends KubernetesCrudDispatcher {

    private boolean armed;

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath().split("\\?", 2)[0];
      boolean write = request.method() == HttpMethod.PATCH || request.method() == HttpMethod.PUT;
      if (write && path.contains("/rollouts/") && path.endsWith("/status") && armed) {
        armed = false;
        lost.incrementAndGet();
        return new MockResponse()
            .setResponseCode(403)
            .setHeader("Content-Type", "application/json")
            .setBody(
                Serialization.asJson(
                    new StatusBuilder()
                        .withStatus("Failure")
                        .withCode(403)
                        .withReason("Forbidden")
                        .withMessage("the controller died before this status write")
                        .build()));
      }
      MockResponse response = super.dispatch(request);
      if (write && path.contains("/virtualservices/") && response.code() / 100 == 2) {
        var vs =
            Serialization.unmarshal(
                new String(response.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8),
                VirtualService.class);
        synchronized (written) {
          written.add(vs);
        }
        if (toLose > 0 && after.test(vs)) {
          toLose--;
          armed = true;
        }
      }
      return response;
    }
  }
}
