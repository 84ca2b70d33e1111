package io.aether.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Receipts as JSON ({@code {"v":1,"seq":..,"time":"ISO-8601",...}}) and their hash.
 *
 * <p>The hash is SHA-256, hex, over this canonical encoding: the UTF-8 tag {@code aether-receipt-v1}, then each
 * field in the order seq (decimal), time ({@link Instant#toString}), actor, layer (enum name), inputsDigest,
 * decision, reasoning, verdict, prevHash — each as a 4-byte big-endian length followed by its UTF-8 bytes. The
 * length prefix makes the encoding unambiguous (no field can bleed into the next).
 */
public final class ReceiptCodec {

    /** The {@code prevHash} of the first receipt. */
    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReceiptCodec() {
    }

    public static byte[] encode(Receipt r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("v", 1);
        n.put("seq", r.seq());
        n.put("time", r.time().toString());
        n.put("actor", r.actor());
        n.put("layer", r.layer().name());
        n.put("inputsDigest", r.inputsDigest());
        n.put("decision", r.decision());
        n.put("reasoning", r.reasoning());
        n.put("verdict", r.verdict());
        n.put("prevHash", r.prevHash());
        n.put("hash", r.hash());
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes the receipt stored at {@code key}; the message names the key when it is not a receipt. */
    public static Receipt decode(String key, byte[] json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || n.path("v").asInt() != 1) {
                throw new IllegalArgumentException("'" + key + "': not a version-1 receipt");
            }
            return new Receipt(n.path("seq").asLong(), Instant.parse(text(key, n, "time")), text(key, n, "actor"),
                    Layer.valueOf(text(key, n, "layer")), text(key, n, "inputsDigest"), text(key, n, "decision"),
                    text(key, n, "reasoning"), text(key, n, "verdict"), text(key, n, "prevHash"),
                    text(key, n, "hash"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("'" + key + "': not a receipt: " + e.getMessage(), e);
        }
    }

    private static String text(String key, JsonNode n, String field) {
        JsonNode f = n.get(field);
        if (f == null || !f.isTextual()) {
            throw new IllegalArgumentException("'" + key + "': field '" + field + "' is missing or not a string");
        }
        return f.asText();
    }

    /** The hash {@code r} must carry: SHA-256 over the canonical encoding of every field but {@code hash}. */
    public static String hash(Receipt r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : new String[] {"aether-receipt-v1", Long.toString(r.seq()), r.time().toString(),
                r.actor(), r.layer().name(), r.inputsDigest(), r.decision(), r.reasoning(), r.verdict(),
                r.prevHash()}) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
            out.writeBytes(bytes);
        }
        return sha256(out.toByteArray());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Gives {@code draft} its place after {@code prevHash} and its hash. */
    static Receipt seal(ReceiptDraft draft, long seq, Instant time, String prevHash) {
        Receipt unsealed = new Receipt(seq, time, draft.actor(), draft.layer(), draft.inputsDigest(),
                draft.decision(), draft.reasoning(), draft.verdict(), prevHash, "");
        return new Receipt(seq, time, draft.actor(), draft.layer(), draft.inputsDigest(), draft.decision(),
                draft.reasoning(), draft.verdict(), prevHash, hash(unsealed));
    }
}
