package io.aether.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Offers POST calls at a fixed rate whatever the answers (open loop: a slow server does not slow the offer, so a
 * step in offered load stays a step), round-robin over the target URLs. Latency runs from each call's scheduled
 * instant, so a late send counts against the server (no coordinated omission). Seconds are wall-clock seconds
 * ({@code epochSecond}), the same seconds the cluster's metrics snapshots cover. At most {@code maxOutstanding}
 * calls are in flight; a call due beyond that is not sent and counted as dropped.
 */
final class OpenLoop implements AutoCloseable {

    /** Wall-clock seconds a run may span (the per-second ring's size). */
    static final int MAX_SECONDS = 900;

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http;
    private final List<URI> targets;
    private final Buffer body;
    private final int maxOutstanding;
    private final long timeoutMs;
    private final long originEpochMs;
    private final long originNanos;
    private final Second[] seconds = new Second[MAX_SECONDS];
    private final AtomicInteger outstanding = new AtomicInteger();
    private final Thread sender;
    private volatile boolean running = true;
    private volatile Phase phase;

    /**
     * A rate from an instant on: the calls due by {@code t} are {@code sentBefore + (t − startNanos) × rate}; before
     * {@code startNanos} the previous phase (null for the first) holds.
     */
    private record Phase(long startNanos, long sentBefore, double rate, Phase previous) {

        /** The phase in force at {@code nanos} (null before the first). */
        Phase at(long nanos) {
            Phase p = this;
            while (p != null && nanos < p.startNanos) {
                p = p.previous;
            }
            return p;
        }

        /** The phase call {@code n} (0-based) belongs to. */
        Phase of(long n) {
            Phase p = this;
            while (p.previous != null && n < p.sentBefore) {
                p = p.previous;
            }
            return p;
        }

        long due(long nanos) {
            return sentBefore + (long) ((nanos - startNanos) * rate / 1e9);
        }

        long scheduled(long n) {
            return startNanos + (long) ((n - sentBefore) * 1e9 / rate);
        }
    }

    /** One wall-clock second's calls, by their scheduled instant. */
    static final class Second {
        final Histogram okMicros = new Histogram(TimeUnit.MINUTES.toMicros(5), 2);
        final AtomicLong offered = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong timedOut = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();

        synchronized void record(long micros) {
            okMicros.recordValue(Math.min(okMicros.getHighestTrackableValue(), Math.max(1, micros)));
        }
    }

    /** Starts sending at {@code rate} calls/s from the next whole wall-clock second. */
    OpenLoop(List<URI> targets, String body, double rate, int maxOutstanding, long timeoutMs) {
        this.targets = List.copyOf(targets);
        this.body = Buffer.buffer(body);
        this.maxOutstanding = maxOutstanding;
        this.timeoutMs = timeoutMs;
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                .setMaxPoolSize(maxOutstanding));
        long nowMs = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        this.originEpochMs = (nowMs / 1000 + 1) * 1000;
        this.originNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(originEpochMs - nowMs);
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = new Second();
        }
        this.phase = new Phase(originNanos, 0, rate, null);
        this.sender = new Thread(this::send, "open-loop-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** The first second of the offer (epoch second). */
    long originEpochSecond() {
        return originEpochMs / 1000;
    }

    /**
     * Changes the rate at the start of wall-clock second {@code epochSecond} (in the future) and answers once that
     * instant has come, with the epoch milliseconds of the change.
     */
    long changeRateAt(long epochSecond, double rate) throws InterruptedException {
        long at = originNanos + TimeUnit.SECONDS.toNanos(epochSecond - originEpochSecond());
        if (at <= System.nanoTime()) {
            throw new IllegalArgumentException("rate change at epoch second " + epochSecond + " is not in the future");
        }
        Phase current = phase;
        if (at <= current.startNanos()) {
            throw new IllegalArgumentException("rate change at epoch second " + epochSecond
                    + " is not after the last change");
        }
        phase = new Phase(at, current.due(at), rate, current);
        while (System.nanoTime() < at) {
            LockSupport.parkNanos(Math.min(at - System.nanoTime(), 1_000_000));
        }
        return epochSecond * 1000;
    }

    /** The counters of {@code epochSecond}. */
    Second second(long epochSecond) {
        long i = epochSecond - originEpochSecond();
        if (i < 0 || i >= MAX_SECONDS) {
            throw new IllegalArgumentException("epoch second " + epochSecond + " is outside the offer's "
                    + MAX_SECONDS + " s from " + originEpochSecond());
        }
        return seconds[(int) i];
    }

    /** Merged latency (µs) of the successful calls scheduled in [{@code fromSecond}, {@code toSecond}). */
    Histogram latency(long fromSecond, long toSecond) {
        Histogram h = new Histogram(TimeUnit.MINUTES.toMicros(5), 2);
        for (long s = fromSecond; s < toSecond; s++) {
            Second second = second(s);
            synchronized (second) {
                h.add(second.okMicros);
            }
        }
        return h;
    }

    /** Stops offering and waits up to {@code waitMs} for the calls in flight. */
    void stop(long waitMs) throws InterruptedException {
        running = false;
        sender.join();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling interval of a deadline-bounded wait for the last answers
        }
    }

    private void send() {
        long sent = 0;
        while (running) {
            long now = System.nanoTime();
            Phase newest = phase;
            Phase p = newest.at(now);
            if (p != null) {
                for (long due = p.due(now); sent < due; sent++) {
                    issue(newest.of(sent).scheduled(sent), sent);
                }
            }
            LockSupport.parkNanos(200_000);
        }
    }

    private void issue(long scheduledNanos, long n) {
        long epochSecond = originEpochSecond() + TimeUnit.NANOSECONDS.toSeconds(scheduledNanos - originNanos);
        Second second = second(epochSecond);
        second.offered.incrementAndGet();
        if (outstanding.incrementAndGet() > maxOutstanding) {
            outstanding.decrementAndGet();
            second.dropped.incrementAndGet();
            return;
        }
        URI uri = targets.get((int) (n % targets.size()));
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI(uri.getPath()).putHeader("Content-Type", "application/json")
                .setIdleTimeout(timeoutMs);
        http.request(request)
                .compose(req -> req.send(body))
                .compose(resp -> resp.body().compose(b -> Future.succeededFuture(resp.statusCode())))
                .onComplete(ar -> {
                    outstanding.decrementAndGet();
                    if (ar.failed()) {
                        (isTimeout(ar.cause()) ? second.timedOut : second.failed).incrementAndGet();
                    } else if (ar.result() == 200) {
                        second.ok.incrementAndGet();
                        second.record((System.nanoTime() - scheduledNanos) / 1000);
                    } else if (ar.result() == 503 || ar.result() == 429) {
                        second.rejected.incrementAndGet();
                    } else {
                        second.failed.incrementAndGet();
                    }
                });
    }

    private static boolean isTimeout(Throwable e) {
        return e instanceof TimeoutException || e instanceof io.netty.handler.timeout.TimeoutException
                || String.valueOf(e.getMessage()).contains("timeout");
    }

    @Override
    public void close() {
        running = false;
        http.close();
        vertx.close();
    }
}
