package io.sampan.server.audit;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A response that keeps its status and body to itself: what an internal GET answers, read for the
 * audit's before-summary without touching the real response (its status, headers and body).
 */
final class SnapshotResponse extends HttpServletResponseWrapper {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final PrintWriter writer = new PrintWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
    private int status = 200;
    private String contentType;

    SnapshotResponse(HttpServletResponse real) {
        super(real);
    }

    int status() {
        return status;
    }

    String body() {
        writer.flush();
        return body.toString(StandardCharsets.UTF_8);
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                body.write(b, off, len);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Override
    public PrintWriter getWriter() {
        return writer;
    }

    @Override
    public void setStatus(int sc) {
        status = sc;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public void sendError(int sc, String msg) {
        status = sc;
    }

    @Override
    public void sendError(int sc) {
        status = sc;
    }

    @Override
    public void sendRedirect(String location) {
        status = 302;
    }

    @Override
    public boolean isCommitted() {
        return false;
    }

    @Override
    public void setContentType(String type) {
        contentType = type;
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public String getCharacterEncoding() {
        return StandardCharsets.UTF_8.name();
    }

    @Override
    public void setCharacterEncoding(String charset) {
        // always UTF-8
    }

    @Override
    public void setContentLength(int len) {
        // not sent
    }

    @Override
    public void setContentLengthLong(long len) {
        // not sent
    }

    @Override
    public void setHeader(String name, String value) {
        // not sent
    }

    @Override
    public void addHeader(String name, String value) {
        // not sent
    }

    @Override
    public void setIntHeader(String name, int value) {
        // not sent
    }

    @Override
    public void addIntHeader(String name, int value) {
        // not sent
    }

    @Override
    public void setDateHeader(String name, long date) {
        // not sent
    }

    @Override
    public void addDateHeader(String name, long date) {
        // not sent
    }

    @Override
    public boolean containsHeader(String name) {
        return false;
    }

    @Override
    public String getHeader(String name) {
        return null;
    }

    @Override
    public Collection<String> getHeaders(String name) {
        return List.of();
    }

    @Override
    public Collection<String> getHeaderNames() {
        return List.of();
    }

    @Override
    public void addCookie(Cookie cookie) {
        // not sent
    }

    @Override
    public void setLocale(Locale loc) {
        // not sent
    }

    @Override
    public void setBufferSize(int size) {
        // unbounded
    }

    @Override
    public void flushBuffer() {
        writer.flush();
    }

    @Override
    public void resetBuffer() {
        writer.flush();
        body.reset();
    }

    @Override
    public void reset() {
        resetBuffer();
        status = 200;
    }
}
