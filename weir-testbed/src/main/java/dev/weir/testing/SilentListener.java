package dev.weir.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A metrics backend that never answers: a real TCP listener on loopback that accepts every
 * connection and keeps it open without a byte in reply, as a hung server or a black-holing proxy
 * would. A client waits for its own timeout.
 */
public final class SilentListener implements AutoCloseable {

  private final ServerSocket socket;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  private SilentListener(ServerSocket socket) {
    this.socket = socket;
  }

  public static SilentListener start() {
    try {
      var listener = new SilentListener(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      var acceptor = new Thread(listener::accept, "weir-test-silent-listener");
      acceptor.setDaemon(true);
      acceptor.start();
      return listener;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:PORT}, for a metric's provider address. */
  public String address() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  /** How many connections it has accepted (and never answered). */
  public int connections() {
    return accepted.size();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        accepted.add(socket.accept());
      } catch (IOException e) {
        // Closed: the story is over.
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
      for (Socket s : accepted) {
        s.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
