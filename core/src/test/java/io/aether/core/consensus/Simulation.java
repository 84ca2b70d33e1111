package io.aether.core.consensus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A whole cluster in one thread, driven by one seed: n engines, a simulated network (delay, drop, duplicate,
 * reorder, partition, heal), simulated disks with group-commit fsync, crashes and restarts through
 * {@link RabiaEngine#recover}, and clients of a tiny KV. Checks agreement and integrity on every apply, then
 * linearizability of the client history and liveness once faults stop.
 */
final class Simulation {
    /** How the harness may be broken on purpose (planted bugs). */
    enum HarnessBug { NONE, ACK_BEFORE_PERSIST }

    /** Everything that shapes one run; derived from the seed unless a test pins it. */
    record Options(int n, int clients, int keys, int opsAfterFaults, long faultEndMicros, long livenessBoundMicros,
                   double dropRate, double duplicateRate, double crashRatePerMs, double partitionRatePerMs,
                   EngineConfig template, DecisionRules rules, HarnessBug harnessBug) {

        static Options forSeed(long seed) {
            SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
            int n = r.nextInt(5) == 0 ? 5 : 3;
            int depth = new int[] {1, 2, 4, 8}[r.nextInt(4)];
            int batch = new int[] {1, 4, 16}[r.nextInt(3)];
            int retain = r.nextInt(3) == 0 ? Math.max(depth, 16) : 10_000;
            EngineConfig template = new EngineConfig(0, n, r.nextLong(), batch, 1 << 16, 64, depth, 200, 300, 5_000, 8,
                    retain);
            double drop = new double[] {0.0, 0.05, 0.2}[r.nextInt(3)];
            double duplicate = new double[] {0.0, 0.03, 0.1}[r.nextInt(3)];
            double crashPerMs = new double[] {0.01, 0.03, 0.08}[r.nextInt(3)];
            return new Options(n, 4, 3, 5, 400_000, 1_000_000, drop, duplicate, crashPerMs, 0.03, template,
                    DecisionRules.PAPER, HarnessBug.NONE);
        }

        Options with(DecisionRules newRules, HarnessBug bug) {
            return new Options(n, clients, keys, opsAfterFaults, faultEndMicros, livenessBoundMicros, dropRate,
                    duplicateRate, crashRatePerMs, partitionRatePerMs, template, newRules, bug);
        }

        EngineConfig configFor(int self) {
            EngineConfig t = template;
            return new EngineConfig(self, t.n(), t.coinSeed(), t.maxBatchCommands(), t.maxBatchBytes(),
                    t.maxPendingCommands(), t.pipelineDepth(), t.proposeDelayMicros(), t.batchDelayMicros(),
                    t.retransmitMicros(), t.maxFetchSlots(), t.retainDecidedSlots());
        }
    }

    /** Outcome of one run: null failure means every check passed. */
    record Result(long seed, String failure, int slots, int completedOps, int unknownOps, long simMicros,
                  int inconclusiveKeys) {
        boolean ok() {
            return failure == null;
        }
    }

    /** Thrown inside the run when a check fails; carries the explanation. */
    static final class CheckFailed extends RuntimeException {
        CheckFailed(String message) {
            super(message);
        }
    }

    /** Debug aid: prints every step whose input or output mentions this text. */
    private static final String TRACE = System.getProperty("aether.sim.trace");
    private static final long TRACE_FROM_MICROS = Long.getLong("aether.sim.traceFromMicros", 0);
    private static final long TICK_MICROS = 1_000;
    private static final long MAX_SIM_MICROS = 60_000_000;
    /** A run that needs more events than this is a message storm, reported as a failure. */
    private static final long MAX_EVENTS = 3_000_000;
    private final long[] sentByKind = new long[Message.Kind.values().length];

    private final long seed;
    private final Options opt;
    private final SplittableRandom rnd;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private long now;
    private long eventSeq;
    private final Node[] nodes;
    private final Client[] clients;
    private final boolean[][] cut;
    /** Global log: what the first replica to apply each slot applied ("noop" or a batch id). */
    private final List<Object> globalLog = new ArrayList<>();
    private final Set<BatchId> committedBatches = new HashSet<>();
    private final Set<Long> committedCommands = new HashSet<>();
    private final List<LinearizabilityChecker.Operation> history = new ArrayList<>();
    private boolean faultsActive = true;
    private int inconclusiveKeys;

    Simulation(long seed, Options options) {
        this.seed = seed;
        this.opt = options;
        this.rnd = new SplittableRandom(seed);
        this.nodes = new Node[options.n()];
        this.cut = new boolean[options.n()][options.n()];
        for (int i = 0; i < options.n(); i++) {
            nodes[i] = new Node(i);
        }
        this.clients = new Client[options.clients()];
        for (int c = 0; c < clients.length; c++) {
            clients[c] = new Client(c + 1);
        }
    }

    static Result run(long seed) {
        return new Simulation(seed, Options.forSeed(seed)).run();
    }

    Result run() {
        try {
            for (Node node : nodes) {
                node.start(new RabiaEngine(opt.configFor(node.id), opt.rules(), 0));
            }
            for (Client c : clients) {
                schedule(rnd.nextLong(2_000), new ClientNext(c));
            }
            schedule(opt.faultEndMicros(), new EndFaults());
            scheduleFault();
            while (!events.isEmpty() && !allClientsDone()) {
                if (now > MAX_SIM_MICROS) {
                    throw new CheckFailed("liveness: clients still not done at " + now + " us of simulated time");
                }
                Event e = events.poll();
                now = e.time;
                e.fire(this);
            }
            quiesce();
            LinearizabilityChecker.Verdict verdict = LinearizabilityChecker.check(history, opt.keys());
            if (verdict.violation() != null) {
                throw new CheckFailed("linearizability: " + verdict.violation());
            }
            inconclusiveKeys = verdict.inconclusiveKeys();
            return result(null);
        } catch (CheckFailed e) {
            return result(e.getMessage());
        } catch (RuntimeException | AssertionError e) {
            return result("exception at " + now + " us: " + e + stackTop(e));
        }
    }

    private Result result(String failure) {
        int unknown = 0;
        for (LinearizabilityChecker.Operation o : history) {
            if (o.unknown()) {
                unknown++;
            }
        }
        return new Result(seed, failure, globalLog.size(), history.size() - unknown, unknown, now, inconclusiveKeys);
    }

    String messageStats() {
        StringBuilder sb = new StringBuilder("{");
        for (Message.Kind k : Message.Kind.values()) {
            sb.append(k).append('=').append(sentByKind[k.ordinal()]).append(' ');
        }
        return sb.append('}').toString();
    }

    private static String stackTop(Throwable e) {
        StringBuilder sb = new StringBuilder();
        StackTraceElement[] st = e.getStackTrace();
        for (int i = 0; i < Math.min(6, st.length); i++) {
            sb.append("\n    at ").append(st[i]);
        }
        return sb.toString();
    }

    private boolean allClientsDone() {
        for (Client c : clients) {
            if (!c.done) {
                return false;
            }
        }
        return true;
    }

    /** Liveness: with faults over, every replica reaches the same slot and no batch stays pending. */
    private void quiesce() {
        long deadline = now + opt.livenessBoundMicros();
        while (!converged()) {
            if (events.isEmpty() || now > deadline) {
                throw new CheckFailed("liveness: replicas did not converge within " + opt.livenessBoundMicros()
                        + " us after the clients finished:" + nodeStates());
            }
            Event e = events.poll();
            now = e.time;
            e.fire(this);
        }
    }

    private String nodeStates() {
                StringBuilder sb = new StringBuilder();
                for (Node n : nodes) {
                    sb.append("\n    replica ").append(n.id).append(n.up ? " up" : " down").append(", applied slot ")
                            .append(n.appliedSlot).append(", pending commands ")
                            .append(n.engine == null ? -1 : n.engine.pendingCommandCount()).append(", unsynced outputs ")
                            .append(n.queue.size()).append(n.fsyncInFlight ? " (fsync in flight since " + n.fsyncAt + " now " + now + " q " + n.queue.peek() + ")" : "").append("\n      ")
                            .append(n.engine);
                }
                return sb.append("\n    messages sent ").append(messageStats()).toString();
    }

    private boolean converged() {
        long slot = nodes[0].appliedSlot;
        for (Node n : nodes) {
            if (!n.up || n.appliedSlot != slot || n.engine.pendingCommandCount() != 0 || !n.queue.isEmpty()) {
                return false;
            }
        }
        return slot == globalLog.size();
    }

    // ---- events

    private abstract static class Event implements Comparable<Event> {
        long time;
        long seq;

        abstract void fire(Simulation sim);

        @Override
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    private void schedule(long delayMicros, Event e) {
        e.time = now + delayMicros;
        e.seq = eventSeq++;
        if (eventSeq > MAX_EVENTS) {
            throw new CheckFailed("runaway: more than " + MAX_EVENTS + " events by " + now + " us; messages sent by kind "
                    + messageStats());
        }
        events.add(e);
    }

    private static final class Deliver extends Event {
        final int from;
        final int to;
        final Message message;

        Deliver(int from, int to, Message message) {
            this.from = from;
            this.to = to;
            this.message = message;
        }

        @Override
        void fire(Simulation sim) {
            Node node = sim.nodes[to];
            if (node.up && !sim.cut[from][to]) {
                node.step(new Input.Receive(from, message));
            }
        }
    }

    private static final class TickEvent extends Event {
        final Node node;
        final int incarnation;

        TickEvent(Node node, int incarnation) {
            this.node = node;
            this.incarnation = incarnation;
        }

        @Override
        void fire(Simulation sim) {
            if (node.up && node.incarnation == incarnation) {
                node.step(new Input.Tick(sim.now));
                sim.schedule(TICK_MICROS / 2 + sim.rnd.nextLong(TICK_MICROS), new TickEvent(node, incarnation));
            }
        }
    }

    private static final class Fsync extends Event {
        final Node node;
        final int incarnation;

        Fsync(Node node, int incarnation) {
            this.node = node;
            this.incarnation = incarnation;
        }

        @Override
        void fire(Simulation sim) {
            if (node.up && node.incarnation == incarnation) {
                node.fsyncDone();
            }
        }
    }

    private static final class ClientNext extends Event {
        final Client client;

        ClientNext(Client client) {
            this.client = client;
        }

        @Override
        void fire(Simulation sim) {
            sim.clientNext(client);
        }
    }

    private static final class ClientTimeout extends Event {
        final Client client;
        final long seq;

        ClientTimeout(Client client, long seq) {
            this.client = client;
            this.seq = seq;
        }

        @Override
        void fire(Simulation sim) {
            if (client.outstanding != null && client.outstandingSeq == seq) {
                sim.clientGiveUp(client);
            }
        }
    }

    private static final class FaultEvent extends Event {
        @Override
        void fire(Simulation sim) {
            sim.injectFault();
        }
    }

    private static final class RestartEvent extends Event {
        final Node node;

        RestartEvent(Node node) {
            this.node = node;
        }

        @Override
        void fire(Simulation sim) {
            if (!node.up) {
                node.restart();
            }
        }
    }

    private static final class EndFaults extends Event {
        @Override
        void fire(Simulation sim) {
            sim.faultsActive = false;
            for (boolean[] row : sim.cut) {
                java.util.Arrays.fill(row, false);
            }
            for (Node n : sim.nodes) {
                if (!n.up) {
                    n.restart();
                }
            }
        }
    }

    // ---- faults

    private void scheduleFault() {
        double ratePerMs = opt.crashRatePerMs() + opt.partitionRatePerMs();
        long gap = (long) (1_000 * (-Math.log(1 - rnd.nextDouble()) / ratePerMs));
        schedule(Math.max(1, gap), new FaultEvent());
    }

    private void injectFault() {
        if (!faultsActive) {
            return;
        }
        double crashShare = opt.crashRatePerMs() / (opt.crashRatePerMs() + opt.partitionRatePerMs());
        if (rnd.nextDouble() < crashShare) {
            if (rnd.nextInt(8) == 0) {
                for (Node n : nodes) {
                    crash(n);
                }
            } else {
                crash(nodes[rnd.nextInt(nodes.length)]);
            }
        } else {
            int kind = rnd.nextInt(3);
            for (boolean[] row : cut) {
                java.util.Arrays.fill(row, false);
            }
            if (kind == 0) {
                int isolated = rnd.nextInt(nodes.length);
                for (int i = 0; i < nodes.length; i++) {
                    if (i != isolated) {
                        cut[i][isolated] = true;
                        cut[isolated][i] = true;
                    }
                }
            } else if (kind == 1) {
                for (int i = 0; i < nodes.length; i++) {
                    for (int j = 0; j < nodes.length; j++) {
                        cut[i][j] = i != j && rnd.nextInt(4) == 0;
                    }
                }
            }
        }
        scheduleFault();
    }

    private void crash(Node n) {
        if (!n.up) {
            return;
        }
        n.crash();
        schedule(1_000 + rnd.nextLong(30_000), new RestartEvent(n));
    }

    // ---- network

    private void send(int from, Outbound o) {
        sentByKind[o.message().kind().ordinal()]++;
        if (faultsActive && rnd.nextDouble() < opt.dropRate()) {
            return;
        }
        int copies = faultsActive && rnd.nextDouble() < opt.duplicateRate() ? 2 : 1;
        for (int c = 0; c < copies; c++) {
            long delay = 100 + rnd.nextLong(900);
            if (rnd.nextInt(20) == 0) {
                delay += rnd.nextLong(10_000);
            }
            if (cut[from][o.to()]) {
                return;
            }
            schedule(delay, new Deliver(from, o.to(), o.message()));
        }
    }

    // ---- clients

    private final class Client {
        final long clientId;
        long nextSeq = 1;
        int issuedAfterFaults;
        boolean done;
        int node = -1;
        SimKv.Op outstanding;
        long outstandingSeq;
        long invokeMicros;
        int lastSeen;
        int nextValue;

        Client(long clientId) {
            this.clientId = clientId;
        }
    }

    private void clientNext(Client c) {
        if (!faultsActive && c.issuedAfterFaults >= opt.opsAfterFaults()) {
            c.done = true;
            return;
        }
        List<Integer> up = new ArrayList<>();
        for (Node n : nodes) {
            if (n.up) {
                up.add(n.id);
            }
        }
        if (up.isEmpty()) {
            schedule(1_000, new ClientNext(c));
            return;
        }
        c.node = up.get(rnd.nextInt(up.size()));
        int key = rnd.nextInt(opt.keys());
        int type = rnd.nextInt(3);
        int value = (int) (c.clientId * 100_000 + ++c.nextValue);
        SimKv.Op op = switch (type) {
            case SimKv.PUT -> new SimKv.Op(SimKv.PUT, key, value, 0);
            case SimKv.GET -> new SimKv.Op(SimKv.GET, key, 0, 0);
            default -> new SimKv.Op(SimKv.CAS, key, rnd.nextBoolean() ? c.lastSeen : 0, value);
        };
        c.outstanding = op;
        c.outstandingSeq = c.nextSeq++;
        c.invokeMicros = now;
        if (!faultsActive) {
            c.issuedAfterFaults++;
        }
        long timeout = faultsActive ? 60_000 : opt.livenessBoundMicros();
        schedule(timeout, new ClientTimeout(c, c.outstandingSeq));
        nodes[c.node].step(new Input.Submit(new Command(c.clientId, c.outstandingSeq, op.encode())));
    }

    private void clientDone(Client c, int result) {
        history.add(new LinearizabilityChecker.Operation(history.size(), c.invokeMicros, now, c.outstanding, result));
        if (c.outstanding.type() == SimKv.GET) {
            c.lastSeen = result;
        }
        c.outstanding = null;
        schedule(rnd.nextLong(2_000), new ClientNext(c));
    }

    private void clientRejected(Client c) {
        c.outstanding = null; // never entered a queue: it never takes effect
        schedule(1_000 + rnd.nextLong(2_000), new ClientNext(c));
    }

    private void clientGiveUp(Client c) {
        if (!faultsActive && c.invokeMicros >= opt.faultEndMicros()) {
            throw new CheckFailed("liveness: " + c.outstanding + " of client " + c.clientId + " invoked at "
                    + c.invokeMicros + " us (after faults stopped) not answered within "
                    + opt.livenessBoundMicros() + " us; submitted to replica " + c.node + "; committed: "
                    + committedCommands.contains(c.clientId << 32 | c.outstandingSeq) + nodeStates());
        }
        history.add(new LinearizabilityChecker.Operation(history.size(), c.invokeMicros, Long.MAX_VALUE,
                c.outstanding, 0));
        c.outstanding = null;
        schedule(rnd.nextLong(2_000), new ClientNext(c));
    }

    // ---- replicas

    private final class Node {
        final int id;
        RabiaEngine engine;
        boolean up;
        int incarnation;
        /** The durable WAL (what survives a crash). */
        final List<LogEntry> wal = new ArrayList<>();
        /** Outputs waiting for their fsync (correct harness) or entries waiting (ack-before-persist bug). */
        final ArrayDeque<Output> queue = new ArrayDeque<>();
        boolean fsyncInFlight;
        long fsyncAt;
        int coveredByFsync;
        SimKv kv;
        long appliedSlot;
        long snapshotSlot;
        SimKv snapshotKv;

        Node(int id) {
            this.id = id;
        }

        void start(RabiaEngine e) {
            engine = e;
            up = true;
            kv = snapshotKv == null ? new SimKv(opt.keys()) : new SimKv(snapshotKv);
            appliedSlot = snapshotSlot;
            schedule(rnd.nextLong(TICK_MICROS), new TickEvent(this, incarnation));
        }

        void crash() {
            if (TRACE != null) {
                System.err.println("TRACE " + now + " replica " + id + " CRASH");
            }
            up = false;
            incarnation++;
            queue.clear();
            fsyncInFlight = false;
            for (Client c : clients) {
                if (c.outstanding != null && c.node == id) {
                    clientGiveUp(c);
                }
            }
        }

        void restart() {
            if (TRACE != null) {
                System.err.println("TRACE " + now + " replica " + id + " RESTART");
            }
            incarnation++;
            List<LogEntry> entries = new ArrayList<>(wal);
            start(RabiaEngine.recover(opt.configFor(id), opt.rules(), snapshotSlot, entries));
            for (LogEntry e : wal) {
                if (e instanceof LogEntry.DecidedEntry d && d.slot() > snapshotSlot) {
                    applyDecided(new DecidedSlot(d.slot(), d.batchOrNullForNoop()), true);
                }
            }
            if (engine.nextApplySlot() != appliedSlot + 1) {
                throw new CheckFailed("recovery: replica " + id + " replayed its WAL up to slot " + appliedSlot
                        + " but the recovered engine continues at slot " + engine.nextApplySlot());
            }
        }

        void step(Input input) {
            Output out = engine.step(input);
            if (TRACE != null && now >= TRACE_FROM_MICROS
                    && (input.toString().contains(TRACE) || out.toString().contains(TRACE))) {
                System.err.println("TRACE " + now + " replica " + id + " in " + input + "\n   out " + out + "\n   "
                        + engine);
            }
            if (out.isEmpty()) {
                return;
            }
            if (opt.harnessBug() == HarnessBug.ACK_BEFORE_PERSIST) {
                release(out, false);
                if (!out.persist().isEmpty()) {
                    queue.add(new Output(out.persist(), List.of(), List.of(), List.of(), java.util.Optional.empty()));
                    requestFsync();
                }
                return;
            }
            if (queue.isEmpty() && out.persist().isEmpty()) {
                release(out, true);
                return;
            }
            queue.add(out);
            requestFsync();
        }

        private void requestFsync() {
            if (!fsyncInFlight) {
                fsyncInFlight = true;
                coveredByFsync = queue.size();
                fsyncAt = now;
                schedule(50 + rnd.nextLong(450), new Fsync(this, incarnation));
            }
        }

        /**
         * Group commit: every output queued when the fsync started is now durable; they are released in
         * order, followed by outputs without entries. Outputs added while releasing wait for the next fsync.
         */
        void fsyncDone() {
            int durable = coveredByFsync;
            int k = 0;
            for (Output out : queue) {
                if (k++ == durable) {
                    break;
                }
                wal.addAll(out.persist());
            }
            while (up && !queue.isEmpty() && (durable > 0 || queue.peek().persist().isEmpty())) {
                Output out = queue.poll();
                durable = Math.max(0, durable - 1);
                if (opt.harnessBug() != HarnessBug.ACK_BEFORE_PERSIST) {
                    release(out, true);
                }
            }
            fsyncInFlight = false;
            if (up && !queue.isEmpty()) {
                requestFsync();
            }
        }

        /** Sends, applies and answers one output, as the adapter does after its fsync. */
        void release(Output out, boolean durable) {
            for (Outbound o : out.send()) {
                send(id, o);
            }
            for (DecidedSlot ds : out.decided()) {
                applyDecided(ds, false);
            }
            for (Rejected r : out.rejected()) {
                Client c = clients[(int) r.command().clientId() - 1];
                if (c.outstanding != null && c.outstandingSeq == r.command().seq()) {
                    clientRejected(c);
                }
            }
            out.snapshotNeededFrom().ifPresent(this::installSnapshotFrom);
        }

        private void installSnapshotFrom(int peer) {
            Node p = nodes[peer];
            if (!p.up || p.appliedSlot <= appliedSlot) {
                return;
            }
            snapshotSlot = p.appliedSlot;
            snapshotKv = new SimKv(p.kv);
            kv = new SimKv(p.kv);
            appliedSlot = p.appliedSlot;
            // Commands applied inside the snapshot are answered from its session table, as a real KV does.
            for (Client c : clients) {
                Integer result = c.outstanding != null && c.node == id ? kv.resultOf(c.clientId, c.outstandingSeq) : null;
                if (result != null) {
                    clientDone(c, result);
                }
            }
            step(new Input.SnapshotInstalled(snapshotSlot));
        }

        void applyDecided(DecidedSlot ds, boolean replay) {
            long slot = ds.slot();
            if (slot <= snapshotSlot && !replay) {
                return; // covered by an installed snapshot
            }
            if (slot != appliedSlot + 1) {
                throw new CheckFailed("contiguity: replica " + id + " applied slot " + appliedSlot
                        + " and is now given slot " + slot + (replay ? " (WAL replay)" : ""));
            }
            appliedSlot = slot;
            Batch b = ds.batchOrNullForNoop();
            Object what = b == null ? "noop" : b.id();
            int idx = (int) (slot - 1);
            if (idx == globalLog.size()) {
                globalLog.add(what);
                if (b != null) {
                    if (!committedBatches.add(b.id())) {
                        throw new CheckFailed("integrity: batch " + b.id() + " committed twice (again in slot "
                                + slot + ")");
                    }
                    for (Command c : b.commands()) {
                        if (!committedCommands.add(c.clientId() << 32 | c.seq())) {
                            throw new CheckFailed("integrity: command " + c + " committed twice (again in slot "
                                    + slot + ")");
                        }
                    }
                }
            } else if (idx < globalLog.size()) {
                if (!globalLog.get(idx).equals(what)) {
                    throw new CheckFailed("agreement: replica " + id + " applied " + what + " in slot " + slot
                            + " but another replica applied " + globalLog.get(idx));
                }
            } else {
                throw new CheckFailed("agreement: replica " + id + " applied slot " + slot + " before any replica"
                        + " applied slot " + (globalLog.size() + 1));
            }
            if (b == null) {
                return;
            }
            for (Command cmd : b.commands()) {
                int result = kv.apply(cmd.clientId(), cmd.seq(), SimKv.Op.decode(cmd.payload()));
                if (replay) {
                    continue;
                }
                Client c = clients[(int) cmd.clientId() - 1];
                if (c.outstanding != null && c.node == id && c.outstandingSeq == cmd.seq()) {
                    clientDone(c, result);
                }
            }
        }
    }
}
