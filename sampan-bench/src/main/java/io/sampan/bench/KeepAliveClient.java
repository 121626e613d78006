package io.sampan.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 client on one kept-alive connection, blocking, as one user's CLI or browser tab
 * holds one: it writes a GET, reads the status line, the headers and the body (by length or in
 * chunks), and reconnects when the server closes. The JDK's {@code HttpClient} serves all its
 * connections from one selector thread and completes each exchange through several asynchronous
 * stages; with 50 clients on the 2 cores the server also runs on, that machinery and its thread
 * hand-offs were part of every measured latency. This client costs a read and a write per request.
 */
final class KeepAliveClient implements AutoCloseable {
    private final String host;
    private final int port;
    private final String authorization;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeepAliveClient(URI server, String token) {
        this.host = server.getHost();
        this.port = server.getPort();
        this.authorization = "Bearer " + token;
    }

    /** GETs the path; the body, or an exception naming the status when it is 400 or above. */
    String get(String path) throws IOException {
        if (socket == null) {
            connect();
        }
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: " + authorization
                + "\r\nAccept: application/json\r\n\r\n";
        try {
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return response(path);
        } catch (EofBeforeResponse closedWhileIdle) {
            // the server closed the kept-alive connection (it does after so many requests): once more on a new one
            close();
            connect();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return response(path);
        }
    }

    private void connect() throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 16384);
        out = socket.getOutputStream();
    }

    private String response(String path) throws IOException {
        String statusLine = line(true);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String header = line(false); !header.isEmpty(); header = line(false)) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                closing = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line(false).split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line(false).split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line(false);
            }
            line(false); // the end of the (empty) trailer
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        } else {
            body.write(in.readAllBytes());
            closing = true;
        }
        if (closing) {
            close();
        }
        String text = body.toString(StandardCharsets.UTF_8);
        if (status >= 400) {
            throw new IOException("GET " + path + " → " + status + " " + text);
        }
        return text;
    }

    /** A CRLF-terminated line; at the start of a response, the end of the stream means the server had closed. */
    private String line(boolean startOfResponse) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                if (startOfResponse && s.isEmpty()) {
                    throw new EofBeforeResponse();
                }
                throw new IOException("the connection ended within a response");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    private static final class EofBeforeResponse extends IOException {
        EofBeforeResponse() {
            super("the server closed the connection");
        }
    }
}
