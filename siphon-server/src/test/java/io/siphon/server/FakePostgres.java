package io.siphon.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A listener that speaks just enough of PostgreSQL's v3 protocol to ask a client for its password
 * in clear text ({@code AuthenticationCleartextPassword}) and record it, as an attacker's server
 * would; it then refuses the login. Proves where a stored password is sent.
 */
final class FakePostgres implements AutoCloseable {

    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;

    private final ServerSocket socket;
    private final ConcurrentLinkedQueue<String> passwords = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> users = new ConcurrentLinkedQueue<>();
    private final Thread acceptor;

    FakePostgres() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "fake-postgres");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A JDBC URL pointing at this listener. */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + socket.getLocalPort() + "/stolen";
    }

    /** Every password a client sent, in order. */
    List<String> passwords() {
        return List.copyOf(passwords);
    }

    /** Every user name a client started a session as. */
    List<String> users() {
        return List.copyOf(users);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                serve(client);
            } catch (IOException e) {
                // A client that hung up, or the listener closed: wait for the next one.
            }
        }
    }

    private void serve(Socket client) throws IOException {
        DataInputStream in = new DataInputStream(client.getInputStream());
        DataOutputStream out = new DataOutputStream(client.getOutputStream());
        while (true) {
            int length = in.readInt();
            int code = in.readInt();
            byte[] rest = in.readNBytes(length - 8);
            if (code == SSL_REQUEST || code == GSS_REQUEST) {
                out.writeByte('N');
                out.flush();
                continue;
            }
            String[] params = new String(rest, StandardCharsets.UTF_8).split("\0");
            for (int i = 0; i + 1 < params.length; i += 2) {
                if (params[i].equals("user")) {
                    users.add(params[i + 1]);
                }
            }
            break;
        }
        out.writeByte('R');
        out.writeInt(8);
        out.writeInt(3);
        out.flush();
        if (in.readByte() != 'p') {
            return;
        }
        byte[] message = in.readNBytes(in.readInt() - 4);
        passwords.add(new String(message, 0, message.length - 1, StandardCharsets.UTF_8));
        byte[] fields =
                ("SFATAL\0C28P01\0Mpassword authentication failed\0\0")
                        .getBytes(StandardCharsets.UTF_8);
        out.writeByte('E');
        out.writeInt(4 + fields.length);
        out.write(fields);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
