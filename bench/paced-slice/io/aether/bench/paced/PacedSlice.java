package io.aether.bench.paced;

import io.aether.slice.api.LeanSlice;
import io.aether.slice.api.SliceContext;
import io.aether.slice.api.SliceException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A bench slice with a fixed capacity per instance that costs no CPU: an instance serves one call at a time and
 * each call takes {@code serviceMs} (blueprint config, default 20) of waiting, so one instance serves
 * 1000 / serviceMs calls/s and a second instance doubles that whatever the machine. Calls beyond {@code maxBacklog}
 * waiting (config, default 2000) are refused with 503. Answers {@code {"waitedMs":N}}.
 */
public class PacedSlice implements LeanSlice {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "paced-slice-timer");
        t.setDaemon(true);
        return t;
    });
    private long serviceNanos = TimeUnit.MILLISECONDS.toNanos(20);
    private int maxBacklog = 2000;
    private long freeAtNanos;
    private int backlog;

    @Override
    public CompletionStage<Void> activate(SliceContext context) {
        serviceNanos = TimeUnit.MILLISECONDS.toNanos(positive(context, "serviceMs", 20));
        maxBacklog = positive(context, "maxBacklog", 2000);
        return CompletableFuture.completedFuture(null);
    }

    private static int positive(SliceContext context, String key, int fallback) {
        String text = context.config().get(key);
        int value;
        try {
            value = text == null ? fallback : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("paced: config " + key + " '" + text + "' is not an integer", e);
        }
        if (value < 1) {
            throw new IllegalArgumentException("paced: config " + key + " " + value + " is below 1");
        }
        return value;
    }

    @Override
    public CompletionStage<String> call(String requestJson) {
        long now = System.nanoTime();
        long delay;
        synchronized (this) {
            if (backlog >= maxBacklog) {
                throw new SliceException(503, "paced: " + backlog + " calls already waiting (maxBacklog)");
            }
            backlog++;
            freeAtNanos = Math.max(now, freeAtNanos) + serviceNanos;
            delay = freeAtNanos - now;
        }
        CompletableFuture<String> answer = new CompletableFuture<>();
        timer.schedule(() -> {
            synchronized (this) {
                backlog--;
            }
            answer.complete("{\"waitedMs\":" + TimeUnit.NANOSECONDS.toMillis(delay) + "}");
        }, delay, TimeUnit.NANOSECONDS);
        return answer;
    }

    @Override
    public CompletionStage<Void> deactivate() {
        timer.shutdown(); // calls already scheduled still complete
        return CompletableFuture.completedFuture(null);
    }
}
