package io.aether.core.control;

import java.util.List;

/**
 * What the {@link Guardrails} made of one {@link Decision.NodeAction}.
 *
 * @param reasons every rule that rejected it, with its numbers; empty when it passed
 */
public record NodeVerdict(Decision.NodeAction action, Verdict.Outcome outcome, List<String> reasons) {

    public NodeVerdict {
        reasons = List.copyOf(reasons);
    }
}
