package io.pulsarmesh.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class OperatorConfigTest {
    @Test
    void podFsGroupIsAGroupIdOrNone() {
        assertEquals(0L, OperatorConfig.fsGroup(Optional.of("0")));
        assertEquals(1000L, OperatorConfig.fsGroup(Optional.of(" 1000 ")));
        // OpenShift: restricted-v2 assigns the group and refuses a fixed one.
        assertNull(OperatorConfig.fsGroup(Optional.of("none")));
        assertNull(OperatorConfig.fsGroup(Optional.of("NONE")));
        assertNull(OperatorConfig.fsGroup(Optional.of("")));
        assertNull(OperatorConfig.fsGroup(Optional.empty()));
    }

    @Test
    void aWrongPodFsGroupSaysWhatIsExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OperatorConfig.fsGroup(Optional.of("root")));
        assertTrue(e.getMessage().contains("pod-fs-group must be a group id or none"), e.getMessage());
    }
}
