package dev.weir.cli.cluster;

/** An API server's answer to a GET: the status code and the body (null when it sent none). */
record ApiResponse(int code, String body) {

  boolean isSuccessful() {
    return code >= 200 && code < 300;
  }
}
