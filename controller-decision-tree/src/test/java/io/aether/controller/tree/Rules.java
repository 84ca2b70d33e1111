package io.aether.controller.tree;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/** Test helper: the default rules with some fields replaced by name. */
final class Rules {

    private Rules() {
    }

    static TreeRules with(Object... nameValuePairs) {
        try {
            RecordComponent[] components = TreeRules.class.getRecordComponents();
            TreeRules defaults = TreeRules.defaults();
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                values[i] = components[i].getAccessor().invoke(defaults);
            }
            for (int p = 0; p < nameValuePairs.length; p += 2) {
                String name = (String) nameValuePairs[p];
                int index = Arrays.stream(components).map(RecordComponent::getName).toList().indexOf(name);
                if (index < 0) {
                    throw new IllegalArgumentException("no rule named " + name);
                }
                values[index] = nameValuePairs[p + 1];
            }
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            return TreeRules.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
