package io.pulsarmesh.operator.model.istio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pulsarmesh.operator.api.common.v1alpha1.AuthRule;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioGateway;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.MtlsSpec;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.CoordinatorIstio;

class MeshTest {

    static IstioSpec own(boolean enabled) {
        IstioSpec s = new IstioSpec();
        s.setEnabled(enabled);
        return s;
    }

    static MtlsSpec mtls(String mode) {
        MtlsSpec m = new MtlsSpec();
        m.setMode(mode);
        return m;
    }

    static IstioGateway gateway(String domain) {
        IstioGateway g = new IstioGateway();
        g.setAdvertisedDomain(domain);
        return g;
    }

    /** In a CSV row, {@code -} stands for "not set" (null), {@code ''} for the empty string. */
    static String value(String csv) {
        return "-".equals(csv) ? null : csv;
    }

    @ParameterizedTest(name = "component {0}, coordinator {1} -> {2}")
    @CsvSource({
            "-,       -,       SIDECAR",
            "-,       ambient, SIDECAR",
            "ambient, -,       AMBIENT",
            "ambient, sidecar, AMBIENT",
            "sidecar, ambient, SIDECAR",
            "'',      ambient, SIDECAR",
    })
    void dataplaneIsTheComponentsOwnNeverTheCoordinators(String component, String coordinator,
            Mesh.Dataplane expected) {
        // The coordinator writes the data plane into each component when its migration reaches it; inheriting it
        // would switch every component at once.
        IstioSpec o = own(true);
        o.setDataplaneMode(value(component));
        CoordinatorIstio c = new CoordinatorIstio();
        c.setDataplaneMode(value(coordinator));
        assertEquals(expected, Mesh.resolve(o, c).dataplane());
    }

    @Test
    void withoutCoordinatorTheBuiltInDefaults() {
        Mesh mesh = Mesh.of(own(true));
        assertTrue(mesh.enabled());
        assertEquals(Mesh.Mtls.STRICT, mesh.mtls());
        assertNull(mesh.revision());
        assertEquals("cluster.local", mesh.trustDomain());
        assertEquals(Mesh.Dataplane.SIDECAR, mesh.dataplane());
        assertEquals(List.of(), mesh.authRules());
        assertEquals(List.of(), mesh.gateways());
        assertEquals(mesh, Mesh.resolve(own(true), null));
    }

    @Test
    void enabledOnlyFromTheComponent() {
        assertFalse(Mesh.of(null).enabled());
        assertFalse(Mesh.of(new IstioSpec()).enabled(), "unset means out of the mesh");
        assertFalse(Mesh.of(own(false)).enabled());
        CoordinatorIstio c = new CoordinatorIstio();
        c.setRevision("canary");
        c.setMtls(mtls("permissive"));
        c.setDataplaneMode("ambient");
        Mesh off = Mesh.resolve(new IstioSpec(), c);
        assertFalse(off.enabled(), "a coordinator's defaults do not put a component in the mesh");
        assertEquals(Mesh.Mtls.PERMISSIVE, off.mtls());
        assertFalse(Mesh.OFF.enabled());
        assertEquals(List.of(), Mesh.OFF.gateways());
    }

    @Test
    void authRulesKeptInOrder() {
        IstioSpec o = own(true);
        AuthRule a = new AuthRule();
        AuthRule b = new AuthRule();
        o.setAuthRules(List.of(a, b));
        List<AuthRule> rules = Mesh.of(o).authRules();
        assertEquals(2, rules.size());
        assertSame(a, rules.get(0));
        assertSame(b, rules.get(1));
    }

    @Test
    void gatewaysListWinsOverGateway() {
        IstioSpec o = own(true);
        IstioGateway single = gateway("single.example.com");
        IstioGateway first = gateway("first.example.com");
        IstioGateway second = gateway("second.example.com");
        o.setGateway(single);
        o.setGateways(List.of(first, second));
        Mesh mesh = Mesh.of(o);
        assertEquals(List.of(first, second), mesh.gateways());
        assertSame(first, mesh.gateway());
    }

    @Test
    void emptyGatewaysListFallsBackToGateway() {
        IstioSpec o = own(true);
        IstioGateway single = gateway("single.example.com");
        o.setGateway(single);
        o.setGateways(List.of());
        Mesh mesh = Mesh.of(o);
        assertEquals(List.of(single), mesh.gateways());
        assertSame(single, mesh.gateway());
    }

    @Test
    void noGatewayWhenNoneRequested() {
        assertNull(Mesh.of(own(true)).gateway());
    }

    @Test
    void gatewayIsNullWhenIstioDisabled() {
        IstioSpec o = own(false);
        o.setGateway(gateway("pulsar.example.com"));
        Mesh mesh = Mesh.of(o);
        assertEquals(1, mesh.gateways().size(), "the request is kept");
        assertNull(mesh.gateway(), "but nothing is exposed out of the mesh");
        o.setEnabled(null);
        assertNull(Mesh.of(o).gateway());
    }
}
