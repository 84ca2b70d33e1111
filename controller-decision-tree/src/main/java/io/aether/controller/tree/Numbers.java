package io.aether.controller.tree;

import java.util.Locale;

/** Number formats for the reasoning text, independent of the JVM's locale. */
final class Numbers {

    private Numbers() {
    }

    /** Two decimals: {@code 0.55}. */
    static String f2(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** No decimals: {@code 412}. */
    static String f0(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    /** A 0..1 rate as percent with one decimal: {@code 12.5%}. */
    static String pct(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }
}
