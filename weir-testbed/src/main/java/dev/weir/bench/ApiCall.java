package dev.weir.bench;

import java.util.Set;

/**
 * One request as the API server received it: who sent it (told by its User-Agent, since every party
 * has its own client), the verb, the path, the body and the answer's status code.
 *
 * @param seq the order in which the server recorded it
 * @param party Weir, the kubelet fixture or the benchmark script
 * @param method the HTTP method
 * @param path the path without its query
 * @param query the query string, empty when there is none
 * @param exchange the body and, once answered, the status code
 */
record ApiCall(long seq, Party party, String method, String path, String query, Exchange exchange) {

  /** What the dispatcher saw of a request: its body, and the code it answered with (0: not yet). */
  static final class Exchange {
    volatile byte[] body = new byte[0];
    volatile int code;
    volatile boolean drained;
  }

  /** Who sent a request; each party's client carries its own User-Agent. */
  enum Party {
    WEIR("weir-bench/weir"),
    KUBELET("weir-bench/kubelet"),
    SCRIPT("weir-bench/script"),
    OTHER("");

    final String userAgent;

    Party(String userAgent) {
      this.userAgent = userAgent;
    }

    static Party of(String userAgent) {
      for (Party p : values()) {
        if (!p.userAgent.isEmpty() && p.userAgent.equals(userAgent)) {
          return p;
        }
      }
      return OTHER;
    }
  }

  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  static ApiCall of(
      long seq, String userAgent, String method, String pathAndQuery, Exchange exchange) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    return new ApiCall(seq, Party.of(userAgent), method, path, query, exchange);
  }

  public String body() {
    return new String(exchange.body, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The status code of the answer; 0 when the server has not answered (or a stub did). */
  int code() {
    return exchange.code;
  }

  /** Answered with an error: the write did not happen. */
  boolean failed() {
    return exchange.code >= 400;
  }

  boolean isWrite() {
    return WRITES.contains(method);
  }

  boolean isRead() {
    return "GET".equals(method);
  }

  boolean isWatch() {
    return query.contains("watch=true") || query.contains("watch=1");
  }

  /** A GET of one named object (not a list, not a watch) of this resource type. */
  boolean isGetOf(String plural, String name) {
    var r = resource();
    return isRead() && !isWatch() && plural.equals(r.plural()) && name.equals(r.name());
  }

  /** A write to the status subresource of the named Rollout. */
  boolean isRolloutStatusWrite(String name) {
    var r = resource();
    return isWrite()
        && "rollouts".equals(r.plural())
        && name.equals(r.name())
        && "status".equals(r.subresource());
  }

  /**
   * What a write touched, in the words of the table: the Rollout's status, the VirtualService, a
   * Service, a ReplicaSet, an Event; anything else by its plural (and subresource).
   */
  String kind() {
    var r = resource();
    String plural = r.plural() == null ? path : r.plural();
    String sub = r.subresource();
    return switch (plural) {
      case "rollouts" -> "status".equals(sub) ? Kind.STATUS : Kind.ROLLOUT;
      case "virtualservices" -> Kind.VIRTUAL_SERVICE;
      case "services" -> Kind.SERVICE;
      case "replicasets" -> "status".equals(sub) ? Kind.REPLICA_SET_STATUS : Kind.REPLICA_SET;
      case "events" -> Kind.EVENT;
      default -> sub == null ? plural : plural + "/" + sub;
    };
  }

  /** The kinds the table has a column for. */
  static final class Kind {
    static final String STATUS = "status";
    static final String ROLLOUT = "Rollout";
    static final String VIRTUAL_SERVICE = "VirtualService";
    static final String SERVICE = "Service";
    static final String REPLICA_SET = "ReplicaSet";
    static final String REPLICA_SET_STATUS = "ReplicaSet/status";
    static final String EVENT = "Event";

    private Kind() {}
  }

  /** The parts of a resource path; any of them null when the path does not have it. */
  record Resource(String namespace, String plural, String name, String subresource) {}

  /**
   * Reads {@code /api/v1/namespaces/NS/PLURAL/NAME/SUB} and {@code
   * /apis/GROUP/VERSION/namespaces/NS/PLURAL/NAME/SUB}, and their cluster-scoped forms.
   */
  Resource resource() {
    String[] all = path.replaceFirst("^/+", "").split("/");
    int start;
    if (all.length >= 2 && "api".equals(all[0])) {
      start = 2;
    } else if (all.length >= 3 && "apis".equals(all[0])) {
      start = 3;
    } else {
      return new Resource(null, null, null, null);
    }
    String[] rest = java.util.Arrays.copyOfRange(all, start, all.length);
    String namespace = null;
    if (rest.length >= 3 && "namespaces".equals(rest[0])) {
      namespace = rest[1];
      rest = java.util.Arrays.copyOfRange(rest, 2, rest.length);
    }
    return new Resource(
        namespace,
        rest.length > 0 ? rest[0] : null,
        rest.length > 1 ? rest[1] : null,
        rest.length > 2 ? rest[2] : null);
  }

  @Override
  public String toString() {
    String answer = exchange.code == 0 ? "" : " -> " + exchange.code;
    return method + " " + path + (query.isEmpty() ? "" : "?" + query) + answer;
  }
}
