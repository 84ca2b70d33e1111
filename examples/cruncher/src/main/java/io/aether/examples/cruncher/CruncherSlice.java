package io.aether.examples.cruncher;

import io.aether.examples.json.Json;
import io.aether.slice.api.LeanSlice;
import io.aether.slice.api.SliceException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A CPU-heavy lean slice for scaling demos: {@code {"work": N}} hashes 32 bytes N times with SHA-256 (chained)
 * and answers {@code {"work":N,"digest":"<hex>"}}. N is 1..5,000,000 (about 1 s of one core at the top).
 * The hashing runs on the common fork-join pool so the calling thread is not blocked.
 */
public class CruncherSlice implements LeanSlice {

    static final long MAX_WORK = 5_000_000;

    @Override
    public CompletionStage<String> call(String requestJson) {
        long work = work(requestJson);
        return CompletableFuture.supplyAsync(() -> "{\"work\":" + work + ",\"digest\":\"" + crunch(work) + "\"}");
    }

    static long work(String requestJson) {
        Object value = Json.flatObject(requestJson).get("work");
        if (!(value instanceof String text)) {
            throw new SliceException(400, "crunch: 'work' must be a number in 1.." + MAX_WORK);
        }
        long work;
        try {
            work = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new SliceException(400, "crunch: 'work' " + text + " is not an integer in 1.." + MAX_WORK);
        }
        if (work < 1 || work > MAX_WORK) {
            throw new SliceException(400, "crunch: 'work' " + work + " is not in 1.." + MAX_WORK);
        }
        return work;
    }

    static String crunch(long work) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] state = new byte[32];
            for (long i = 0; i < work; i++) {
                state = sha.digest(state);
            }
            return HexFormat.of().formatHex(state);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
