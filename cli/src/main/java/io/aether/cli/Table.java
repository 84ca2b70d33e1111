package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Rows under upper-case headers, each column as wide as its widest cell, two spaces apart. */
final class Table {

    /** A column: its header and how to read its cell from one item of a list. */
    record Column(String header, Function<JsonNode, String> cell) {

        /** The item's field as text; a missing or null field is {@code -}. */
        static Column field(String header, String field) {
            return new Column(header, item -> text(item.get(field)));
        }
    }

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    /** One row per element of {@code items}. */
    static Table of(Iterable<JsonNode> items, List<Column> columns) {
        Table table = new Table(columns.stream().map(Column::header).toList());
        for (JsonNode item : items) {
            table.row(columns.stream().map(c -> c.cell().apply(item)).toList());
        }
        return table;
    }

    /** A value as a cell: text as is, other JSON compact, absent as {@code -}. */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "-";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    Table row(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.size() + " cells under " + headers.size() + " headers");
        }
        rows.add(cells.stream().map(Table::oneLine).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String render() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            line.append(cells.get(c));
            if (c < cells.size() - 1) {
                line.append(" ".repeat(widths[c] - cells.get(c).length() + 2));
            }
        }
        out.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }

    /** A cell stays on its line: a multi-line reason or value would break the columns. */
    private static String oneLine(String cell) {
        return cell.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }
}
