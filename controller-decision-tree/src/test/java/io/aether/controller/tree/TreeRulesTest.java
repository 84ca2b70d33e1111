package io.aether.controller.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TreeRulesTest {

    @Test
    void defaultsAreValid() {
        TreeRules.defaults().validate();
    }

    @Test
    void aRuleOutsideItsRangeIsNamedWithItsValueAndTheRange() {
        assertEquals("aether.controller.l1: targetUtilisation 1.5 is outside (0,1]",
                refused("targetUtilisation", 1.5));
        assertEquals("aether.controller.l1: hysteresisBand 1.0 is outside [0,1)", refused("hysteresisBand", 1.0));
        assertEquals("aether.controller.l1: maxStepUpRatio 0.5 must be ≥ 1", refused("maxStepUpRatio", 0.5));
        assertEquals("aether.controller.l1: oscillationMaxChanges 1 must be ≥ 2",
                refused("oscillationMaxChanges", 1));
        assertEquals("aether.controller.l1: capacityPerInstance -3.0 must be ≥ 0 (0 estimates it online)",
                refused("capacityPerInstance", -3.0));
        assertEquals("aether.controller.l1: seasonalPeriodsSeconds[1] 1 must be ≥ 2",
                refused("seasonalPeriodsSeconds", List.of(300, 1)));
        assertEquals("aether.controller.l1: trendMinR2 NaN is outside (0,1]", refused("trendMinR2", Double.NaN));
    }

    private static String refused(String field, Object value) {
        return assertThrows(IllegalArgumentException.class, () -> Rules.with(field, value).validate()).getMessage();
    }
}
