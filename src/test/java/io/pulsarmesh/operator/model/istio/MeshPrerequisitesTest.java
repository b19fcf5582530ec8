package io.pulsarmesh.operator.model.istio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.pulsarmesh.operator.api.common.v1alpha1.Condition;

class MeshPrerequisitesTest {
    static final Map<String, String> SELECTOR = Map.of("istio", "ingressgateway");
    static final Map<Integer, String> KAFKA_TOO = new LinkedHashMap<>(Map.of(443, "HTTPS", 6651, "Pulsar"));

    static {
        KAFKA_TOO.put(9093, "Kafka (KoP)");
    }

    @Test
    void aGatewayWithEveryPortIsMet() {
        MeshPrerequisites.Check c = MeshPrerequisites.gateway(SELECTOR, KAFKA_TOO, List.of("istio-system/gw-0"),
                List.of("istio-system/istio-ingressgateway"), Set.of(80, 443, 6651, 9093, 15021), null);
        assertNull(c.problem());
        Condition met = MeshPrerequisites.condition(List.of(c), 3L);
        assertEquals("True", met.getStatus());
        assertEquals(MeshPrerequisites.REASON_MET, met.getReason());
        assertEquals(3L, met.getObservedGeneration());
    }

    @Test
    void missingPortsAreNamedWithWhatNeedsThem() {
        MeshPrerequisites.Check c = MeshPrerequisites.gateway(SELECTOR, KAFKA_TOO, List.of("istio-system/gw-0"),
                List.of("istio-system/istio-ingressgateway"), Set.of(80, 443), null);
        assertEquals(MeshPrerequisites.REASON_GATEWAY_PORTS, c.problem().reason());
        assertTrue(c.problem().message().contains("lacks ports 6651 (Pulsar), 9093 (Kafka (KoP))"), c.problem().message());
        assertTrue(c.problem().message().contains("istio-system/istio-ingressgateway"), c.problem().message());
    }

    @Test
    void noGatewayPodOrNoServiceIsNotFound() {
        assertEquals(MeshPrerequisites.REASON_GATEWAY_NOT_FOUND, MeshPrerequisites.gateway(SELECTOR, KAFKA_TOO,
                List.of(), List.of(), Set.of(), null).problem().reason());
        MeshPrerequisites.Check noService = MeshPrerequisites.gateway(SELECTOR, KAFKA_TOO, List.of("istio-system/gw-0"),
                List.of(), Set.of(), null);
        assertEquals(MeshPrerequisites.REASON_GATEWAY_NOT_FOUND, noService.problem().reason());
        assertTrue(noService.problem().message().contains("no Service selects"), noService.problem().message());
    }

    @Test
    void aLookUpThatFailedIsSaidSo() {
        MeshPrerequisites.Check c = MeshPrerequisites.gateway(SELECTOR, KAFKA_TOO, List.of(), List.of(), Set.of(),
                "the operator may not list pods (403)");
        assertEquals(MeshPrerequisites.REASON_NOT_CHECKED, c.problem().reason());
    }

    @Test
    void everyProblemIsInTheMessageAndTheFirstGivesTheReason() {
        Condition c = MeshPrerequisites.condition(List.of(
                MeshPrerequisites.ztunnel("ztunnel is not ready (1/3 pods)"),
                MeshPrerequisites.gateway(SELECTOR, KAFKA_TOO, List.of(), List.of(), Set.of(), null)), 1L);
        assertEquals("False", c.getStatus());
        assertEquals(MeshPrerequisites.REASON_ZTUNNEL, c.getReason());
        assertTrue(c.getMessage().startsWith("ztunnel is not ready (1/3 pods); no ingress gateway pod matches"),
                c.getMessage());
        assertNull(MeshPrerequisites.condition(List.of(), 1L), "nothing to check: no condition");
        assertEquals("True", MeshPrerequisites.condition(List.of(MeshPrerequisites.ztunnel(null)), 1L).getStatus());
    }
}
