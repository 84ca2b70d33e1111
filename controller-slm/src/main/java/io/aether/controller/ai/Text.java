package io.aether.controller.ai;

import java.util.regex.Pattern;

/** String bounds and credential scrubbing for everything a model reads or a receipt keeps. */
final class Text {

    /**
     * Things that look like credentials: OpenAI/Anthropic-style keys ({@code sk-…}), bearer tokens, and
     * {@code api-key=…}/{@code "apiKey":"…"} pairs as providers echo them in errors and URLs.
     */
    private static final Pattern SECRET = Pattern.compile(
            "sk-[A-Za-z0-9_\\-]{6,}"
                    + "|(?i:bearer)\\s+[A-Za-z0-9._~+/=\\-]{6,}"
                    + "|(?i:(?:x-)?api[_-]?key)[\"']?\\s*[:=]\\s*[\"']?[^\\s\"'&,}]{4,}");

    private Text() {
    }

    /**
     * {@code s} cut to at most {@code max} characters (never splitting a surrogate pair), marked when cut so a
     * reader knows it is not the whole text.
     */
    static String cap(String s, int max) {
        if (s == null) {
            return "";
        }
        if (s.length() <= max) {
            return s;
        }
        String mark = "…(cut)";
        int end = Math.max(0, max - mark.length());
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + mark;
    }

    /** {@code s} with every credential-looking part replaced by {@code [redacted]}. */
    static String scrub(String s) {
        return s == null ? "" : SECRET.matcher(s).replaceAll("[redacted]");
    }
}
