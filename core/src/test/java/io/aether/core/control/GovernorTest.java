package io.aether.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aether.core.control.GovernorState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Governor transitions, table-driven: a sequence of per-second signals and the states after each second. */
class GovernorTest {

    private static final int SLO_MS = 200;
    private static final double SLO_ERRORS = 0.01;

    /** h = healthy, w = warm (p99 90% of SLO), b = breach while scaling up, d = breach not scaling, x = severe. */
    static Governor.Signal signal(char c) {
        return switch (c) {
            case 'h' -> new Governor.Signal(50, 0, SLO_MS, SLO_ERRORS, false);
            case 'w' -> new Governor.Signal(180, 0, SLO_MS, SLO_ERRORS, false);
            case 'b' -> new Governor.Signal(300, 0, SLO_MS, SLO_ERRORS, true);
            case 'd' -> new Governor.Signal(300, 0, SLO_MS, SLO_ERRORS, false);
            case 'x' -> new Governor.Signal(50, 0.5, SLO_MS, SLO_ERRORS, false);
            default -> throw new IllegalArgumentException("no signal '" + c + "'");
        };
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // signals,           states after each second (B S W I D R), escalate 3 s, recover 4 s
                Arguments.of("hhh", "BBS"),
                Arguments.of("hhhwww", "BBSSSW"),
                Arguments.of("hhhww" + "h" + "www", "BBSSSSSSW"),
                Arguments.of("hhhbbb", "BBSSSI"),
                Arguments.of("hhhddd", "BBSSSD"),
                Arguments.of("hhhxxx", "BBSSSR"),
                Arguments.of("hhhxdx", "BBSSSD"),
                Arguments.of("hhhxxx" + "hhhh", "BBSSSR" + "RRRS"),
                Arguments.of("hhhxxx" + "hhwh", "BBSSSR" + "RRRW"),
                Arguments.of("hhhxxx" + "hhxhhhh", "BBSSSR" + "RRRRRRS"),
                Arguments.of("ddd", "BBD"),
                Arguments.of("hhhbbbddd", "BBSSSIIID"));
    }

    @org.junit.jupiter.api.Test
    void aFinishedScaleUpSettlesBeforeTheGovernorMayDegradeOrRefuse() {
        Governor g = new Governor("org.acme:cart:1.0", new Governor.Policy(3, 4, 0.8, 2.0, 5));
        StringBuilder states = new StringBuilder();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (char c : ("hhh" + "bbb" + "xxxxxxx").toCharArray()) {
            g.observe(signal(c), t);
            t = t.plusSeconds(1);
            states.append(g.state().name().charAt(0));
        }
        // The backlog of the scale-up's seconds reads severe for 4 s more: intervening, not refusing, until the
        // settle time has passed and the breach has lasted the escalation time after it.
        assertEquals("BBSSSI" + "IIII" + "IIR", states.toString());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("table")
    void statesFollowTheSignalsWithHysteresis(String signals, String expected) {
        Governor g = new Governor("org.acme:cart:1.0", new Governor.Policy(3, 4, 0.8, 2.0, 0));
        StringBuilder states = new StringBuilder();
        List<Governor.Transition> transitions = new ArrayList<>();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (char c : signals.toCharArray()) {
            g.observe(signal(c), t).ifPresent(transitions::add);
            t = t.plusSeconds(1);
            states.append(g.state().name().charAt(0));
        }
        assertEquals(expected, states.toString());
        GovernorState previous = GovernorState.BOOT;
        for (Governor.Transition tr : transitions) {
            assertEquals(previous, tr.from(), "transitions chain from state to state");
            previous = tr.to();
        }
        assertEquals(g.state(), previous);
    }
}
