package dev.weir.app;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The controller's requests to the API server held to {@code qps} a second, with bursts of up to
 * {@code burst} after a quiet while (a token bucket, as client-go's QPS and burst): a fleet's
 * reconciles after a restart share the API server with everyone else instead of flooding it. A
 * request over the limit waits on its own thread before it is sent.
 */
final class ApiRateLimit implements Interceptor {

  static final String NAME = "weir-api-rate-limit";

  private final double qps;
  private final int burst;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  ApiRateLimit(double qps, int burst, LongSupplier nanoTime) {
    if (qps <= 0 || burst < 1) {
      throw new IllegalArgumentException("qps must be positive and burst at least 1");
    }
    this.qps = qps;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    long wait = reserve();
    if (wait <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted waiting for the client's rate limit", e);
    }
  }

  /**
   * Takes a token, and says how long to wait for it: a token taken ahead is owed, so concurrent
   * waiters queue in the order they came.
   *
   * @return nanoseconds to wait before sending, 0 for none
   */
  synchronized long reserve() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) * qps / 1e9);
    last = now;
    tokens -= 1;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * 1e9 / qps);
  }
}
