package io.aether.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.testing.Await;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClusterEventBusTest {

    private static ClusterEvent joined(int i) {
        return new ClusterEvent.NodeJoined("n" + i, NodeRole.CORE);
    }

    @Test
    void deliversEveryEventInPublicationOrderOffThePublishersThread() {
        try (ClusterEventBus bus = new ClusterEventBus()) {
            List<SequencedEvent> seen = new CopyOnWriteArrayList<>();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            bus.subscribe(e -> {
                seen.add(e);
                threads.add(Thread.currentThread());
            });
            for (int i = 0; i < 500; i++) {
                bus.publish(joined(i));
            }
            Await.until("500 events", () -> seen.size() == 500);
            for (int i = 0; i < 500; i++) {
                assertEquals(i + 1, seen.get(i).seq());
                assertEquals(joined(i), seen.get(i).event());
            }
            assertTrue(threads.stream().noneMatch(t -> t == Thread.currentThread()));
        }
    }

    @Test
    void aSlowSubscriberOverflowsWithACountedEventWhileOthersAndThePublisherGoOn() throws Exception {
        try (ClusterEventBus bus = new ClusterEventBus(1000, 4, 8, Clock.systemUTC())) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocked = new CountDownLatch(1);
            List<SequencedEvent> slow = new CopyOnWriteArrayList<>();
            List<SequencedEvent> fast = new CopyOnWriteArrayList<>();
            ClusterEventBus.Subscription slowSub = bus.subscribe(e -> {
                blocked.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                slow.add(e);
            });
            bus.subscribe(fast::add);
            bus.publish(joined(0));
            assertTrue(blocked.await(5, TimeUnit.SECONDS));
            // The slow subscriber holds event 1; 4 more fill its queue; the next 3 are dropped.
            // The fast subscriber keeps up (the test waits for it after each event; its queue also holds only 4).
            for (int i = 1; i <= 7; i++) {
                bus.publish(joined(i));
                int expected = i + 1;
                Await.until("the fast subscriber to get event " + expected, () -> fast.size() == expected);
            }
            assertEquals(3, slowSub.dropped());
            release.countDown();
            Await.until("the slow subscriber to drain its queue", () -> slow.size() == 5);
            bus.publish(joined(8));
            Await.until("the slow subscriber to catch up", () -> slow.size() == 7);
            List<Long> seqs = slow.stream().map(SequencedEvent::seq).toList();
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 0L, 9L), seqs);
            assertEquals(new ClusterEvent.Overflow(3), slow.get(5).event());
        }
    }

    @Test
    void historyKeepsTheLastEventsOldestFirst() {
        try (ClusterEventBus bus = new ClusterEventBus(10, 16, 4, Clock.systemUTC())) {
            for (int i = 0; i < 25; i++) {
                bus.publish(joined(i));
            }
            List<SequencedEvent> recent = bus.recent(3);
            assertEquals(List.of(23L, 24L, 25L), recent.stream().map(SequencedEvent::seq).toList());
            assertEquals(10, bus.recent(100).size());
            assertEquals(16, bus.recent(100).get(0).seq());
            assertEquals(25, bus.lastSeq());
        }
    }

    @Test
    void subscribingWithReplayDeliversTheHistoryAfterTheGivenSeqThenLiveEventsWithoutGapOrRepeat() {
        try (ClusterEventBus bus = new ClusterEventBus()) {
            for (int i = 0; i < 10; i++) {
                bus.publish(joined(i));
            }
            List<SequencedEvent> seen = new CopyOnWriteArrayList<>();
            bus.subscribe(6, seen::add);
            for (int i = 10; i < 15; i++) {
                bus.publish(joined(i));
            }
            Await.until("9 events", () -> seen.size() == 9);
            assertEquals(List.of(7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L),
                    seen.stream().map(SequencedEvent::seq).toList());
        }
    }

    @Test
    void aThrowingSubscriberKeepsReceivingAndOthersAreUnaffected() {
        try (ClusterEventBus bus = new ClusterEventBus()) {
            List<SequencedEvent> seen = new CopyOnWriteArrayList<>();
            bus.subscribe(e -> {
                seen.add(e);
                throw new IllegalStateException("subscriber bug");
            });
            bus.publish(joined(1));
            bus.publish(joined(2));
            Await.until("both events despite the throw", () -> seen.size() == 2);
        }
    }

    @Test
    void subscribersBeyondTheBoundAreRefusedAndAClosedSubscriptionFreesItsPlace() {
        try (ClusterEventBus bus = new ClusterEventBus(10, 16, 2, Clock.systemUTC())) {
            ClusterEventBus.Subscription first = bus.subscribe(e -> { });
            bus.subscribe(e -> { });
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> bus.subscribe(e -> { }));
            assertTrue(refused.getMessage().contains("maxSubscribers"), refused.getMessage());
            first.close();
            assertNotEquals(null, bus.subscribe(e -> { }));
        }
    }
}
