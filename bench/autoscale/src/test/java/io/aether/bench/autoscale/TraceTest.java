package io.aether.bench.autoscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceTest {

    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        return Files.writeString(dir.resolve("t.csv"), text);
    }

    @Test
    void readsRowsWithAndWithoutHeader() throws IOException {
        assertArrayEquals(new double[] {1, 2.5}, Trace.read(csv("t_seconds,requests_per_second\n0,1\n1,2.5\n"))
                .requestsPerSecond());
        Trace noHeader = Trace.read(csv("10,3\n11,4\n"));
        assertArrayEquals(new double[] {3, 4}, noHeader.requestsPerSecond());
        assertEquals("t", noHeader.name());
    }

    @Test
    void badRowsNameTheFileAndLine() throws IOException {
        Path file = csv("t_seconds,requests_per_second\n0,1\n1,abc\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trace.read(file));
        assertEquals(file + ":3: requests_per_second 'abc' is not a number", e.getMessage());
        Path gap = csv("0,1\n2,1\n");
        assertEquals(gap + ":2: t_seconds 2 should be 1 (one row per second)",
                assertThrows(IllegalArgumentException.class, () -> Trace.read(gap)).getMessage());
        Path negative = csv("0,-5\n");
        assertEquals(negative + ":1: requests_per_second -5 must be a finite number >= 0",
                assertThrows(IllegalArgumentException.class, () -> Trace.read(negative)).getMessage());
        Path columns = csv("0,1,2\n");
        assertEquals(columns + ":1: expected 't_seconds,requests_per_second', got '0,1,2'",
                assertThrows(IllegalArgumentException.class, () -> Trace.read(columns)).getMessage());
    }

    @Test
    void generatedTracesRoundTripThroughCsv() throws IOException {
        Trace spike = TraceGenerator.SPIKE.generate(7);
        Path file = dir.resolve("spike.csv");
        spike.write(file);
        Trace read = Trace.read(file);
        assertEquals(spike.seconds(), read.seconds());
        for (int t = 0; t < spike.seconds(); t++) {
            assertEquals(spike.at(t), read.at(t), 0.05);
        }
    }
}
