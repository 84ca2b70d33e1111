package io.aether.cli;

import java.io.IOException;
import java.io.BufferedReader;
import java.util.function.Consumer;

/** Parses a text/event-stream (the WHATWG server-sent events format) into {@link SseEvent}s. */
final class SseReader {

    /** The largest event accepted: a 1 MiB KV value as base64 inside its JSON stays well below. */
    static final int MAX_EVENT_CHARS = 4 << 20;

    private final BufferedReader in;

    SseReader(BufferedReader in) {
        this.in = in;
    }

    /** Hands every complete event to the listener until the stream ends. */
    void forEach(Consumer<SseEvent> listener) throws IOException {
        StringBuilder data = new StringBuilder();
        String event = "";
        String id = "";
        boolean hasData = false;
        String line;
        while ((line = readLine(data.length())) != null) {
            if (line.isEmpty()) {
                if (hasData) {
                    listener.accept(new SseEvent(event.isEmpty() ? "message" : event, id, data.toString()));
                }
                data.setLength(0);
                event = "";
                hasData = false;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "data" -> {
                    if (hasData) {
                        data.append('\n');
                    }
                    data.append(value);
                    hasData = true;
                }
                case "event" -> event = value;
                case "id" -> id = value;
                default -> {
                    // retry and unknown fields do not matter to a CLI that does not reconnect by itself
                }
            }
        }
    }

    /** One line without its terminator (LF, CR or CRLF), or null at the end of the stream. */
    private String readLine(int pendingChars) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c == -1) {
                return line.length() == 0 ? null : line.toString();
            }
            if (c == '\n') {
                return line.toString();
            }
            if (c == '\r') {
                in.mark(1);
                if (in.read() != '\n') {
                    in.reset();
                }
                return line.toString();
            }
            if (line.length() + pendingChars >= MAX_EVENT_CHARS) {
                throw new IOException("a server-sent event is longer than " + MAX_EVENT_CHARS + " characters");
            }
            line.append((char) c);
        }
    }
}
