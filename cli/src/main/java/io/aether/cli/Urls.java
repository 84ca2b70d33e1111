package io.aether.cli;

import java.nio.charset.StandardCharsets;

/** Percent-encoding for path segments and query values (RFC 3986; a space is %20, never '+'). */
final class Urls {

    private static final String UNRESERVED =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    private Urls() {
    }

    /** One path segment: a '/' inside it is encoded. */
    static String segment(String text) {
        return encode(text, "");
    }

    /** A path that keeps its '/' separators, such as a KV key under {@code /api/v1/kv/}. */
    static String path(String text) {
        return encode(text, "/");
    }

    static String query(String text) {
        return encode(text, "/");
    }

    private static String encode(String text, String keep) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (b >= 0 && (UNRESERVED.indexOf(c) >= 0 || keep.indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
