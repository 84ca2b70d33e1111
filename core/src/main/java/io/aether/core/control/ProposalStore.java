package io.aether.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aether.core.client.KvClient;
import io.aether.core.kv.KeyValue;
import io.aether.core.kv.KvCommand;
import io.aether.core.kv.KvResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Proposals at {@code controller/proposals/{id}} as JSON: {@code {"v":1,"id","created","expires","layer",
 * "decision":{...},"reasoning","status":"pending|approved|rejected|expired","decidedBy","note"}}. A status moves
 * from pending once, by {@code cas} on the proposal's mod revision, so two approvers cannot both apply it. At most
 * {@value #MAX_PROPOSALS} are kept: {@link #expire} marks pending ones past their deadline expired and deletes
 * decided ones a deadline after they expired.
 */
public final class ProposalStore {

    public static final String PREFIX = "controller/proposals/";
    public static final int MAX_PROPOSALS = 1000;

    private final KvClient kv;
    private final Clock clock;
    private final Duration deadline;

    /** {@code deadline}: how long a proposal waits for a human (10 minutes by default). */
    public ProposalStore(KvClient kv, Clock clock, Duration deadline) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("proposal deadline " + deadline + " must be positive");
        }
        this.kv = kv;
        this.clock = clock;
        this.deadline = deadline;
    }

    public ProposalStore(KvClient kv, Clock clock) {
        this(kv, clock, Duration.ofMinutes(10));
    }

    /** Stores {@code decision} as a pending proposal. */
    public CompletableFuture<Proposal> propose(Decision decision) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Proposal p = new Proposal(UUID.randomUUID().toString(), now, now.plus(deadline), decision.layer(), decision,
                decision.reasoning(), Proposal.Status.PENDING, Optional.empty(), Optional.empty());
        return list().thenCompose(all -> {
            if (all.size() >= MAX_PROPOSALS) {
                throw new IllegalStateException(all.size() + " proposals stored, max " + MAX_PROPOSALS
                        + "; approve or reject some first");
            }
            return kv.put(PREFIX + p.id(), encode(p)).thenApply(revision -> p);
        });
    }

    /** Every stored proposal (at most {@value #MAX_PROPOSALS}), oldest first. */
    public CompletableFuture<List<Proposal>> list() {
        return kv.range(PREFIX, MAX_PROPOSALS).thenApply(r -> {
            List<Proposal> out = new ArrayList<>();
            for (KeyValue kvPair : r.kvs()) {
                out.add(decode(kvPair.key(), kvPair.value()));
            }
            out.sort(java.util.Comparator.comparing(Proposal::created));
            return out;
        });
    }

    public CompletableFuture<Optional<Proposal>> get(String id) {
        return kv.get(PREFIX + id).thenApply(v -> v.map(kvPair -> decode(kvPair.key(), kvPair.value())));
    }

    /**
     * Moves pending proposal {@code id} to {@code status}; fails with {@link IllegalStateException} naming the
     * proposal when it does not exist, is no longer pending, or changed concurrently.
     */
    CompletableFuture<Proposal> decide(String id, Proposal.Status status, Optional<String> actor,
                                       Optional<String> note) {
        String key = PREFIX + id;
        return kv.execute(new KvCommand.Get(key)).thenCompose(r -> {
            KeyValue stored = ((KvResult.GetResult) r).kv().orElseThrow(() ->
                    new IllegalStateException("proposal '" + id + "' does not exist"));
            Proposal p = decode(key, stored.value());
            if (p.status() != Proposal.Status.PENDING) {
                throw new IllegalStateException("proposal '" + id + "' is " + lower(p.status()) + ", not pending");
            }
            Proposal next = new Proposal(p.id(), p.created(), p.expires(), p.layer(), p.decision(), p.reasoning(),
                    status, actor, note);
            return kv.cas(key, stored.modRevision(), Optional.of(encode(next))).thenApply(ok -> {
                if (!ok) {
                    throw new IllegalStateException("proposal '" + id + "' changed while being "
                            + lower(status) + "; read it again");
                }
                return next;
            });
        });
    }

    /** Marks pending proposals past their deadline expired (answers them) and deletes long-decided ones. */
    CompletableFuture<List<Proposal>> expire() {
        Instant now = clock.instant();
        return list().thenCompose(all -> {
            List<CompletableFuture<Optional<Proposal>>> expiring = new ArrayList<>();
            for (Proposal p : all) {
                if (p.status() == Proposal.Status.PENDING && !now.isBefore(p.expires())) {
                    expiring.add(decide(p.id(), Proposal.Status.EXPIRED, Optional.empty(),
                            Optional.of("not approved within " + deadline.toSeconds() + " s"))
                            .thenApply(Optional::of)
                            .exceptionally(e -> Optional.empty()));
                } else if (p.status() != Proposal.Status.PENDING && !now.isBefore(p.expires().plus(deadline))) {
                    expiring.add(kv.delete(PREFIX + p.id()).thenApply(d -> Optional.empty()));
                }
            }
            return CompletableFuture.allOf(expiring.toArray(CompletableFuture[]::new)).thenApply(v ->
                    expiring.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
        });
    }

    static byte[] encode(Proposal p) {
        ObjectNode n = DecisionCodec.JSON.createObjectNode();
        n.put("v", 1);
        n.put("id", p.id());
        n.put("created", p.created().toString());
        n.put("expires", p.expires().toString());
        n.put("layer", p.layer().name());
        n.set("decision", DecisionCodec.toJson(p.decision()));
        n.put("reasoning", p.reasoning());
        n.put("status", lower(p.status()));
        p.decidedBy().ifPresent(a -> n.put("decidedBy", a));
        p.note().ifPresent(a -> n.put("note", a));
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Proposal decode(String key, byte[] json) {
        try {
            JsonNode n = DecisionCodec.JSON.readTree(json);
            if (n == null || n.path("v").asInt() != 1) {
                throw new IllegalStateException("'" + key + "' is not a version-1 proposal");
            }
            return new Proposal(n.path("id").asText(), Instant.parse(n.path("created").asText()),
                    Instant.parse(n.path("expires").asText()), Layer.valueOf(n.path("layer").asText()),
                    DecisionCodec.fromJson(n.path("decision")), n.path("reasoning").asText(),
                    Proposal.Status.valueOf(n.path("status").asText().toUpperCase(Locale.ROOT)),
                    n.hasNonNull("decidedBy") ? Optional.of(n.get("decidedBy").asText()) : Optional.empty(),
                    n.hasNonNull("note") ? Optional.of(n.get("note").asText()) : Optional.empty());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("'" + key + "' is not a proposal: " + e.getMessage(), e);
        }
    }

    private static String lower(Proposal.Status s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
