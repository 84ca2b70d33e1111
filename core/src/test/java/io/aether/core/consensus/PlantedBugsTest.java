package io.aether.core.consensus;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The simulation must catch each deliberately planted bug within a bounded number of seeds. */
class PlantedBugsTest {
    private static final System.Logger LOG = System.getLogger(PlantedBugsTest.class.getName());
    static final int MAX_SEEDS = 500;

    @ParameterizedTest
    @EnumSource(PlantedBugs.class)
    void brokenDecisionRulesAreCaught(PlantedBugs bug) {
        assertCaught(bug.name(), bug, Simulation.HarnessBug.NONE);
    }

    @Test
    void acknowledgingBeforePersistingIsCaught() {
        assertCaught("ACK_BEFORE_PERSIST", DecisionRules.PAPER, Simulation.HarnessBug.ACK_BEFORE_PERSIST);
    }

    /** Beyond lost commands (a reused batch id), sending before the fsync lets restarted replicas equivocate. */
    @Test
    void acknowledgingBeforePersistingBreaksAgreementOrLinearizability() {
        assertCaught("ACK_BEFORE_PERSIST (safety)", DecisionRules.PAPER, Simulation.HarnessBug.ACK_BEFORE_PERSIST,
                4 * MAX_SEEDS, failure -> !failure.startsWith("liveness"));
    }

    private static void assertCaught(String name, DecisionRules rules, Simulation.HarnessBug harnessBug) {
        assertCaught(name, rules, harnessBug, MAX_SEEDS, failure -> true);
    }

    private static void assertCaught(String name, DecisionRules rules, Simulation.HarnessBug harnessBug, int maxSeeds,
                                     Predicate<String> counts) {
        Simulation.Result caught = null;
        int tried = 0;
        for (long seed = 1; seed <= maxSeeds && caught == null; seed++) {
            tried++;
            Simulation.Result r = new Simulation(seed, Simulation.Options.forSeed(seed).with(rules, harnessBug)).run();
            if (!r.ok() && counts.test(r.failure())) {
                caught = r;
            }
        }
        assertNotNull(caught, name + " was not caught within " + maxSeeds + " seeds");
        int seeds = tried;
        Simulation.Result c = caught;
        LOG.log(System.Logger.Level.INFO, () -> "planted bug " + name + " caught after " + seeds + " seed(s): seed "
                + c.seed() + ": " + c.failure().lines().findFirst().orElse(""));
        assertTrue(seeds <= maxSeeds);
    }
}
