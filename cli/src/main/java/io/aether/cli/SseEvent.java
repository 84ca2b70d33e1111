package io.aether.cli;

/**
 * One server-sent event.
 *
 * @param event the {@code event:} field, {@code message} when the server sent none
 * @param id    the {@code id:} field, empty when none
 * @param data  the {@code data:} lines joined with newlines
 */
record SseEvent(String event, String id, String data) {
}
