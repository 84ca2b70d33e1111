package io.aether.core.cluster;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Publish/subscribe of {@link ClusterEvent}s on this node, with a bounded history for the API and the SSE stream.
 *
 * <p>{@link #publish} never blocks and never runs subscriber code: it numbers the event, appends it to the history
 * and to each subscriber's bounded queue, so KV watch and consensus threads can publish freely. Each subscriber
 * is served by at most one dispatcher thread at a time, in publication order; subscribers run concurrently with
 * each other, so a slow one delays only itself (at most {@code maxSubscribers} dispatcher threads exist). When a
 * subscriber's queue is full, new events for it are dropped and counted; before its next delivered event it
 * receives one {@link ClusterEvent.Overflow} with the count (seq 0: it is not part of the sequence).
 */
public final class ClusterEventBus implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ClusterEventBus.class.getName());

    private final int historySize;
    private final int queueCapacity;
    private final int maxSubscribers;
    private final Clock clock;
    private final ArrayDeque<SequencedEvent> history;
    private final List<Sub> subscribers = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor dispatchers;
    private long nextSeq = 1;
    private boolean closed;

    /** History of 1,000 events, 1,024 queued events per subscriber, at most 64 subscribers. */
    public ClusterEventBus() {
        this(1000, 1024, 64, Clock.systemUTC());
    }

    public ClusterEventBus(int historySize, int queueCapacity, int maxSubscribers, Clock clock) {
        if (historySize < 1 || queueCapacity < 1 || maxSubscribers < 1) {
            throw new IllegalArgumentException("historySize, queueCapacity and maxSubscribers must be positive, were "
                    + historySize + ", " + queueCapacity + ", " + maxSubscribers);
        }
        this.historySize = historySize;
        this.queueCapacity = queueCapacity;
        this.maxSubscribers = maxSubscribers;
        this.clock = clock;
        this.history = new ArrayDeque<>(historySize);
        AtomicInteger threadNo = new AtomicInteger();
        // At most one task per subscriber is queued or running, so the task queue holds at most maxSubscribers.
        this.dispatchers = new ThreadPoolExecutor(maxSubscribers, maxSubscribers, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "aether-events-" + threadNo.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        dispatchers.allowCoreThreadTimeOut(true);
    }

    /** A live subscription; {@link #close} stops deliveries (an event being delivered completes). */
    public interface Subscription extends AutoCloseable {
        /** Events dropped for this subscriber so far because its queue was full. */
        long dropped();

        @Override
        void close();
    }

    /** Publishes {@code event}; returns it as numbered. Never blocks on subscribers. */
    public SequencedEvent publish(ClusterEvent event) {
        SequencedEvent sequenced;
        synchronized (this) {
            sequenced = new SequencedEvent(nextSeq++, clock.instant(), event);
            if (history.size() == historySize) {
                history.removeFirst();
            }
            history.addLast(sequenced);
            if (closed) {
                return sequenced;
            }
            for (Sub s : subscribers) {
                s.offer(sequenced);
            }
        }
        return sequenced;
    }

    /** Subscribes to events published from now on. */
    public Subscription subscribe(Consumer<SequencedEvent> subscriber) {
        return subscribe(Long.MAX_VALUE, subscriber);
    }

    /**
     * Subscribes, first replaying the history events with a seq above {@code afterSeq} (0: the whole history), then
     * every event published after; no event is missed or repeated between the two (an SSE client resumes with
     * its Last-Event-ID this way). Replay beyond the queue bound overflows like any other delivery.
     */
    public synchronized Subscription subscribe(long afterSeq, Consumer<SequencedEvent> subscriber) {
        if (closed) {
            throw new IllegalStateException("the event bus is closed");
        }
        if (subscribers.size() >= maxSubscribers) {
            throw new IllegalStateException("the event bus already has " + maxSubscribers
                    + " subscribers (maxSubscribers); close one first");
        }
        Sub sub = new Sub(subscriber);
        for (SequencedEvent e : history) {
            if (e.seq() > afterSeq) {
                sub.offer(e);
            }
        }
        subscribers.add(sub);
        return sub;
    }

    /** The last {@code limit} events of the history, oldest first. */
    public synchronized List<SequencedEvent> recent(int limit) {
        List<SequencedEvent> all = new ArrayList<>(history);
        return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
    }

    /** The seq of the last published event (0 before the first). */
    public synchronized long lastSeq() {
        return nextSeq - 1;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            subscribers.clear();
        }
        dispatchers.shutdown();
    }

    private final class Sub implements Subscription {
        private final Consumer<SequencedEvent> consumer;
        private final ArrayDeque<SequencedEvent> queue = new ArrayDeque<>();
        private long dropped;
        private long droppedUnreported;
        private boolean scheduled;
        private volatile boolean cancelled;

        Sub(Consumer<SequencedEvent> consumer) {
            this.consumer = consumer;
        }

        synchronized void offer(SequencedEvent e) {
            if (queue.size() >= queueCapacity) {
                dropped++;
                droppedUnreported++;
                return;
            }
            if (droppedUnreported > 0) {
                queue.addLast(new SequencedEvent(0, clock.instant(), new ClusterEvent.Overflow(droppedUnreported)));
                droppedUnreported = 0;
            }
            queue.addLast(e);
            if (!scheduled) {
                scheduled = true;
                dispatchers.execute(this::drain);
            }
        }

        /** Runs on a dispatcher thread until the queue is empty; only one runs per subscriber at a time. */
        private void drain() {
            while (true) {
                SequencedEvent next;
                synchronized (this) {
                    next = queue.pollFirst();
                    if (next == null || cancelled) {
                        scheduled = false;
                        return;
                    }
                }
                try {
                    consumer.accept(next);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "event subscriber " + consumer + " threw on event "
                            + next.seq() + " (" + next.event().type() + "); it stays subscribed", e);
                }
            }
        }

        @Override
        public synchronized long dropped() {
            return dropped;
        }

        @Override
        public void close() {
            cancelled = true;
            subscribers.remove(this);
            synchronized (this) {
                queue.clear();
            }
        }
    }
}
