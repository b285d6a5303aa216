package dev.weir.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay in front of a server, whose connections a test can cut: what a load
 * balancer's restart or a dropped NAT entry does to a client's long-lived connections, watches
 * among them. Bytes pass through untouched (TLS too: the client still talks to the server). {@link
 * #cutAll()} resets every connection open now; new ones are relayed as before.
 */
public final class TcpRelay implements AutoCloseable {

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger cut = new AtomicInteger();

  private TcpRelay(ServerSocket listener, InetSocketAddress target) {
    this.listener = listener;
    this.target = target;
  }

  /** A relay on a free loopback port to the host and port of {@code server}. */
  public static TcpRelay to(URI server) {
    try {
      var relay =
          new TcpRelay(
              new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
              new InetSocketAddress(server.getHost(), server.getPort()));
      daemon("weir-test-relay-accept", relay::accept);
      return relay;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The relay's address with the scheme of the server's: {@code https://127.0.0.1:PORT}. */
  public URI address(String scheme) {
    return URI.create(scheme + "://127.0.0.1:" + listener.getLocalPort());
  }

  /** Resets every connection relayed now (both sides see a reset); returns how many there were. */
  public int cutAll() {
    int pairs = 0;
    for (Socket socket : open) {
      reset(socket);
      pairs++;
    }
    cut.addAndGet(pairs / 2);
    return pairs / 2;
  }

  /** How many connections the relay cut so far. */
  public int connectionsCut() {
    return cut.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        try {
          server.connect(target, 5_000);
        } catch (IOException e) {
          // The server is not there: the client sees its connection refused, as it would.
          reset(client);
          continue;
        }
        open.add(client);
        open.add(server);
        daemon("weir-test-relay-up", () -> pump(client, server));
        daemon("weir-test-relay-down", () -> pump(server, client));
      } catch (IOException e) {
        // Closed: the story is over.
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // Cut, or closed by the other side.
    } finally {
      reset(from);
      reset(to);
    }
  }

  /** Closes with a reset (SO_LINGER 0), not a graceful FIN: the peer learns at once. */
  private void reset(Socket socket) {
    open.remove(socket);
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // Already closed.
    }
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  private static void daemon(String name, Runnable body) {
    var thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // Closed already.
    }
    cutAll();
  }
}
