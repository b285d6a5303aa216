package dev.weir.cli.cluster;

import java.io.IOException;

/** GETs of an API server's paths ({@code apis/...}, relative to the server's URL). */
interface ApiReads {

  /**
   * @throws IOException when the server cannot be reached or the TLS handshake fails; an answer
   *     with an error code is a response, not an exception
   */
  ApiResponse get(String path) throws IOException;
}
