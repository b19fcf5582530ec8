package io.pulsarmesh.operator.model.broker;

import static io.pulsarmesh.operator.model.broker.MeshBrokers.DOMAIN;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.GATEWAY_CERT;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.SERVICE;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.all;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.amqp;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.broker;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.config;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.find;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.gateway;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.istioObjects;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.kafka;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.kafkaTls;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.kindsAndNames;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.mesh;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.mqtt;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.passthrough;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.plan;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.simple;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.Server;
import io.fabric8.istio.api.api.networking.v1alpha3.ServerTLSSettingsTLSmode;
import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryLocation;
import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryResolution;
import io.fabric8.istio.api.api.networking.v1alpha3.ServicePort;
import io.fabric8.istio.api.api.networking.v1alpha3.TCPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.TLSRoute;
import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.istio.api.networking.v1.ServiceEntry;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioGateway;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBrokerStatus;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.common.SpecProblem;
import io.pulsarmesh.operator.model.istio.Mesh;

class BrokerGatewayTest {

    // Compact descriptions of the routing objects.

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** {@code name port protocol mode credential [hosts]}. */
    static String describe(Server s) {
        return s.getPort().getName() + " " + s.getPort().getNumber() + " " + s.getPort().getProtocol() + " "
                + s.getTls().getMode() + " " + s.getTls().getCredentialName() + " " + s.getHosts();
    }

    /** Every route of a VirtualService: {@code <kind> <gateway port>[ sni=[..]] -> <host>:<port>}. */
    static List<String> routes(VirtualService vs) {
        List<String> out = new ArrayList<>();
        for (HTTPRoute r : orEmpty(vs.getSpec().getHttp())) {
            assertEquals(1, r.getMatch().size());
            assertEquals(1, r.getRoute().size());
            out.add("http " + r.getMatch().get(0).getPort() + " -> " + r.getRoute().get(0).getDestination().getHost()
                    + ":" + r.getRoute().get(0).getDestination().getPort().getNumber());
        }
        for (TCPRoute r : orEmpty(vs.getSpec().getTcp())) {
            assertEquals(1, r.getMatch().size());
            assertEquals(1, r.getRoute().size());
            out.add("tcp " + r.getMatch().get(0).getPort() + " -> " + r.getRoute().get(0).getDestination().getHost()
                    + ":" + r.getRoute().get(0).getDestination().getPort().getNumber());
        }
        for (TLSRoute r : orEmpty(vs.getSpec().getTls())) {
            assertEquals(1, r.getMatch().size());
            assertEquals(1, r.getRoute().size());
            out.add("tls " + r.getMatch().get(0).getPort() + " sni=" + r.getMatch().get(0).getSniHosts() + " -> "
                    + r.getRoute().get(0).getDestination().getHost() + ":"
                    + r.getRoute().get(0).getDestination().getPort().getNumber());
        }
        return out;
    }

    /** Routes as {@code <kind> <gateway port>><backend port>}, without hosts. */
    static String routePorts(VirtualService vs) {
        return routes(vs).stream().map(r -> r.substring(0, r.indexOf(' ', r.indexOf(' ') + 1)) + ">"
                + r.substring(r.lastIndexOf(':') + 1)).collect(Collectors.joining(", "));
    }

    static String pb(int i) {
        return "pb" + i + "-" + DOMAIN;
    }

    static Gateway gatewayObject(List<HasMetadata> objects) {
        return find(objects, Gateway.class, "pc-broker-gateway");
    }

    static void assertOwnedByBroker(HasMetadata o) {
        assertEquals(MeshBrokers.NS, o.getMetadata().getNamespace());
        assertEquals("broker", o.getMetadata().getLabels().get(Labels.COMPONENT));
        assertEquals("pc", o.getMetadata().getLabels().get(Labels.CLUSTER));
        OwnerReference ref = o.getMetadata().getOwnerReferences().get(0);
        assertEquals("PulsarBroker", ref.getKind());
        assertEquals("pc", ref.getName());
        assertEquals(MeshBrokers.UID, ref.getUid());
        assertTrue(ref.getController());
    }

    /**
     * Wiring checks that hold in every configuration: each route's gateway port and host are served by a Gateway
     * server, the cluster host's routes end on ports of the client Service, and each broker's routes end on ports of
     * its ServiceEntry, whose host is the VirtualService's host.
     */
    static void assertRoutingIsConsistent(PulsarBroker pb) {
        List<HasMetadata> objects = istioObjects(pb);
        Gateway gw = gatewayObject(objects);
        Set<Integer> servicePorts = BrokerModel.clientService(pb, mesh(pb)).getSpec().getPorts().stream()
                .map(io.fabric8.kubernetes.api.model.ServicePort::getPort).collect(Collectors.toSet());
        Set<String> portNames = new HashSet<>();
        for (Server s : gw.getSpec().getServers()) {
            assertTrue(portNames.add(s.getPort().getName()), "Gateway port names are unique: " + s.getPort().getName());
        }
        for (VirtualService vs : all(objects, VirtualService.class)) {
            assertEquals(1, vs.getSpec().getHosts().size());
            String host = vs.getSpec().getHosts().get(0);
            assertEquals(List.of("pc-broker-gateway"), vs.getSpec().getGateways());
            boolean cluster = vs.getMetadata().getName().equals("pc-broker");
            ServiceEntry se = cluster ? null : find(objects, ServiceEntry.class, vs.getMetadata().getName());
            for (String route : routes(vs)) {
                String[] words = route.split(" ");
                long gatewayPort = Long.parseLong(words[1]);
                assertTrue(gw.getSpec().getServers().stream().anyMatch(s -> s.getPort().getNumber() == gatewayPort
                        && s.getHosts().contains(host)), "a Gateway server on " + gatewayPort + " for " + host);
                String destination = words[words.length - 1];
                String destHost = destination.substring(0, destination.lastIndexOf(':'));
                int destPort = Integer.parseInt(destination.substring(destination.lastIndexOf(':') + 1));
                if (cluster) {
                    assertEquals(SERVICE, destHost, route);
                    assertTrue(servicePorts.contains(destPort), route + " ends on a port of the Service " + servicePorts);
                } else {
                    assertEquals(host, destHost, route);
                    assertEquals(List.of(host), se.getSpec().getHosts());
                    assertTrue(se.getSpec().getPorts().stream().anyMatch(p -> p.getNumber() == destPort),
                            route + " ends on a port of the ServiceEntry");
                }
            }
        }
    }

    // Hosts

    @ParameterizedTest(name = "{0} x{1}")
    @CsvSource(delimiter = '|', value = {
            "OrdinalPrefix | 1 | pb0-pulsar.example.com",
            "OrdinalPrefix | 3 | pb0-pulsar.example.com pb1-pulsar.example.com pb2-pulsar.example.com",
            "FQDN          | 1 | pc-broker-0.pulsar.example.com",
            "FQDN          | 2 | pc-broker-0.pulsar.example.com pc-broker-1.pulsar.example.com",
            "NameUIDPrefix | 1 | pc-3f2a9c1e-0-pulsar.example.com",
            "NameUIDPrefix | 3 | pc-3f2a9c1e-0-pulsar.example.com pc-3f2a9c1e-1-pulsar.example.com "
                    + "pc-3f2a9c1e-2-pulsar.example.com",
            "              | 2 | pc-3f2a9c1e-0-pulsar.example.com pc-3f2a9c1e-1-pulsar.example.com",
    })
    void hostsPerPolicy(String policy, int replicas, String expected) {
        PulsarBroker pb = simple(replicas);
        config(pb).setServiceURLGenerationPolicy(policy);
        List<String> hosts = List.of(expected.split(" "));
        assertEquals(hosts, BrokerGateway.hosts(pb, plan(pb)));
        for (int i = 0; i < replicas; i++) {
            assertEquals(hosts.get(i), BrokerGateway.host(pb, plan(pb), i));
            assertEquals(hosts.get(i), BrokerGateway.hostExpression(pb, plan(pb)).replace("${ordinal}", "" + i),
                    "the start script computes the same host");
        }
        List<HasMetadata> objects = istioObjects(pb);
        for (int i = 0; i < replicas; i++) {
            assertEquals(List.of(hosts.get(i)), find(objects, VirtualService.class, "pc-broker-" + i).getSpec().getHosts());
            assertEquals(List.of(hosts.get(i)), find(objects, ServiceEntry.class, "pc-broker-" + i).getSpec().getHosts());
        }
        assertEquals(replicas, all(objects, ServiceEntry.class).size());
        assertEquals(replicas + 1, all(objects, VirtualService.class).size());
        assertRoutingIsConsistent(pb);
    }

    @ParameterizedTest(name = "uid {0}")
    @CsvSource(delimiter = '|', value = { "-", "''", "abc-12", "ABCDEF01-2345" })
    void nameUidPrefixWithoutAUsableUid(String uid) {
        PulsarBroker pb = simple(2);
        config(pb).setServiceURLGenerationPolicy("NameUIDPrefix");
        pb.getMetadata().setUid("-".equals(uid) ? null : uid);
        String expected = uid.equals("ABCDEF01-2345") ? "pc-abcdef01-1-pulsar.example.com"
                : "pc-00000000-1-pulsar.example.com";
        assertEquals(expected, BrokerGateway.host(pb, plan(pb), 1));
    }

    @Test
    void hostListsFollowReplicas() {
        PulsarBroker pb = simple(2);
        List<String> two = kindsAndNames(istioObjects(pb));
        assertFalse(two.contains("VirtualService/pc-broker-2"));
        assertFalse(two.contains("ServiceEntry/pc-broker-2"));

        pb.getSpec().setReplicas(3);
        List<HasMetadata> objects = istioObjects(pb);
        List<String> three = kindsAndNames(objects);
        List<String> added = new ArrayList<>(three);
        added.removeAll(two);
        assertEquals(List.of("VirtualService/pc-broker-2", "ServiceEntry/pc-broker-2"), added);
        assertTrue(three.containsAll(two));
        Gateway gw = gatewayObject(objects);
        assertTrue(gw.getSpec().getServers().stream().anyMatch(s -> s.getHosts().equals(List.of(pb(2)))),
                "a Pulsar server for the new broker");
        assertEquals(List.of(DOMAIN, pb(0), pb(1), pb(2)), gw.getSpec().getServers().get(0).getHosts());
        assertEquals(List.of(pb(2)), find(objects, VirtualService.class, "pc-broker-2").getSpec().getHosts());

        pb.getSpec().setReplicas(2);
        List<HasMetadata> back = istioObjects(pb);
        assertEquals(two, kindsAndNames(back));
        assertTrue(gatewayObject(back).getSpec().getServers().stream().noneMatch(s -> s.getHosts().contains(pb(2))));
    }

    @Test
    void defaultReplicasGiveThreeBrokerHosts() {
        PulsarBroker pb = simple(3);
        pb.getSpec().setReplicas(null);
        assertEquals(List.of(pb(0), pb(1), pb(2)), BrokerGateway.hosts(pb, plan(pb)));
    }

    // SIMPLE

    @Test
    void simpleGatewayHasOneServerPerHost() {
        PulsarBroker pb = simple(3);
        List<HasMetadata> objects = istioObjects(pb);
        assertEquals(List.of("PeerAuthentication/pc-broker", "DestinationRule/pc-broker",
                "DestinationRule/pc-broker-headless", "AuthorizationPolicy/pc-broker", "Gateway/pc-broker-gateway",
                "VirtualService/pc-broker", "VirtualService/pc-broker-0", "ServiceEntry/pc-broker-0",
                "VirtualService/pc-broker-1", "ServiceEntry/pc-broker-1", "VirtualService/pc-broker-2",
                "ServiceEntry/pc-broker-2"), kindsAndNames(objects));
        Gateway gw = gatewayObject(objects);
        assertEquals("networking.istio.io/v1", gw.getApiVersion());
        assertOwnedByBroker(gw);
        assertEquals(Map.of("istio", "ingressgateway"), gw.getSpec().getSelector());
        String all = "[" + DOMAIN + ", " + pb(0) + ", " + pb(1) + ", " + pb(2) + "]";
        assertEquals(List.of(
                "https 443 HTTPS SIMPLE pulsar-gw-cert " + all,
                "tls-pulsar 6651 TLS SIMPLE pulsar-gw-cert [" + DOMAIN + "]",
                "tls-pulsar-0 6651 TLS SIMPLE pulsar-gw-cert [" + pb(0) + "]",
                "tls-pulsar-1 6651 TLS SIMPLE pulsar-gw-cert [" + pb(1) + "]",
                "tls-pulsar-2 6651 TLS SIMPLE pulsar-gw-cert [" + pb(2) + "]"),
                gw.getSpec().getServers().stream().map(BrokerGatewayTest::describe).toList());
        assertRoutingIsConsistent(pb);
    }

    @Test
    void simpleRoutesGoToThePlainTextListeners() {
        PulsarBroker pb = simple(2);
        List<HasMetadata> objects = istioObjects(pb);
        VirtualService cluster = find(objects, VirtualService.class, "pc-broker");
        assertEquals("networking.istio.io/v1", cluster.getApiVersion());
        assertOwnedByBroker(cluster);
        assertEquals(List.of(DOMAIN), cluster.getSpec().getHosts());
        assertEquals(List.of("pc-broker-gateway"), cluster.getSpec().getGateways());
        assertEquals(List.of("http 443 -> " + SERVICE + ":8080", "tcp 6651 -> " + SERVICE + ":6652"), routes(cluster));
        assertTrue(orEmpty(cluster.getSpec().getTls()).isEmpty());
        for (int i = 0; i < 2; i++) {
            VirtualService vs = find(objects, VirtualService.class, "pc-broker-" + i);
            assertOwnedByBroker(vs);
            assertEquals(List.of(pb(i)), vs.getSpec().getHosts());
            assertEquals(List.of("http 443 -> " + pb(i) + ":8080", "tcp 6651 -> " + pb(i) + ":6652"), routes(vs));
        }
    }

    @Test
    void simpleModeAnyCase() {
        PulsarBroker pb = simple(1);
        gateway(pb).getTls().setMode("SIMPLE");
        assertFalse(plan(pb).passthrough());
        assertEquals(GATEWAY_CERT, plan(pb).credentialName());
    }

    // PASSTHROUGH

    @Test
    void passthroughGatewayListsEveryHostOnEachPort() {
        PulsarBroker pb = passthrough(3);
        Gateway gw = gatewayObject(istioObjects(pb));
        String all = "[" + DOMAIN + ", " + pb(0) + ", " + pb(1) + ", " + pb(2) + "]";
        assertEquals(List.of("https 443 TLS PASSTHROUGH null " + all, "tls-pulsar 6651 TLS PASSTHROUGH null " + all),
                gw.getSpec().getServers().stream().map(BrokerGatewayTest::describe).toList());
        assertRoutingIsConsistent(pb);
    }

    @Test
    void passthroughRoutesMatchSniAndGoToTheTlsListeners() {
        PulsarBroker pb = passthrough(2);
        List<HasMetadata> objects = istioObjects(pb);
        VirtualService cluster = find(objects, VirtualService.class, "pc-broker");
        assertEquals(List.of("tls 443 sni=[" + DOMAIN + "] -> " + SERVICE + ":8443",
                "tls 6651 sni=[" + DOMAIN + "] -> " + SERVICE + ":6653"), routes(cluster));
        assertTrue(orEmpty(cluster.getSpec().getTcp()).isEmpty());
        assertTrue(orEmpty(cluster.getSpec().getHttp()).isEmpty());
        for (int i = 0; i < 2; i++) {
            assertEquals(List.of("tls 443 sni=[" + pb(i) + "] -> " + pb(i) + ":8443",
                    "tls 6651 sni=[" + pb(i) + "] -> " + pb(i) + ":6653"),
                    routes(find(objects, VirtualService.class, "pc-broker-" + i)));
        }
    }

    @ParameterizedTest(name = "tls.mode {0}")
    @CsvSource({ "passthrough", "PASSTHROUGH", "Passthrough", "-", "''" })
    void passthroughIsTheDefaultAndAnyCase(String mode) {
        PulsarBroker pb = broker(1);
        tls(pb);
        IstioGateway gw = gateway(pb, "-".equals(mode) ? null : mode);
        assertTrue(plan(pb).passthrough());
        assertNull(plan(pb).credentialName());
        assertEquals(List.of(), BrokerModel.validate(pb, mesh(pb)));
        if ("-".equals(mode)) {
            assertNull(gw.getTls(), "no tls block at all");
        }
    }

    // Protocols through the gateway

    @ParameterizedTest(name = "{0} kafka={1} mqtt={2} mqttProxy={3} amqp={4}")
    @CsvSource(delimiter = '|', value = {
            "simple      | false | false | false | false "
                    + "| https/443 tls-pulsar/6651 tls-pulsar-0/6651 tls-pulsar-1/6651 "
                    + "| http 443>8080, tcp 6651>6652 "
                    + "| http 443>8080, tcp 6651>6652",
            "simple      | true  | false | false | false "
                    + "| https/443 tls-pulsar/6651 tls-pulsar-0/6651 tls-pulsar-1/6651 tls-kafka/9093 tls-kafka-0/9093 tls-kafka-1/9093 "
                    + "| http 443>8080, tcp 6651>6652, tcp 9093>9094 "
                    + "| http 443>8080, tcp 6651>6652, tcp 9093>9094",
            "simple      | false | true  | false | false "
                    + "| https/443 tls-pulsar/6651 tls-pulsar-0/6651 tls-pulsar-1/6651 tls-mqtt/8883 "
                    + "| http 443>8080, tcp 6651>6652, tcp 8883>1883 "
                    + "| http 443>8080, tcp 6651>6652",
            "simple      | false | true  | true  | false "
                    + "| https/443 tls-pulsar/6651 tls-pulsar-0/6651 tls-pulsar-1/6651 tls-mqtt/8883 "
                    + "| http 443>8080, tcp 6651>6652, tcp 8883>5682 "
                    + "| http 443>8080, tcp 6651>6652",
            "simple      | false | false | false | true  "
                    + "| https/443 tls-pulsar/6651 tls-pulsar-0/6651 tls-pulsar-1/6651 tls-amqp/5671 "
                    + "| http 443>8080, tcp 6651>6652, tcp 5671>5682 "
                    + "| http 443>8080, tcp 6651>6652",
            "simple      | false | true  | false | true  "
                    + "| https/443 tls-pulsar/6651 tls-pulsar-0/6651 tls-pulsar-1/6651 tls-mqtt/8883 tls-amqp/5671 "
                    + "| http 443>8080, tcp 6651>6652, tcp 8883>1883, tcp 5671>5682 "
                    + "| http 443>8080, tcp 6651>6652",
            "simple      | true  | true  | true  | true  "
                    + "| https/443 tls-pulsar/6651 tls-pulsar-0/6651 tls-pulsar-1/6651 tls-kafka/9093 tls-kafka-0/9093 tls-kafka-1/9093 tls-mqtt/8883 tls-amqp/5671 "
                    + "| http 443>8080, tcp 6651>6652, tcp 9093>9094, tcp 8883>5682, tcp 5671>5685 "
                    + "| http 443>8080, tcp 6651>6652, tcp 9093>9094",
            "passthrough | false | false | false | false "
                    + "| https/443 tls-pulsar/6651 "
                    + "| tls 443>8443, tls 6651>6653 "
                    + "| tls 443>8443, tls 6651>6653",
            "passthrough | true  | false | false | false "
                    + "| https/443 tls-pulsar/6651 tls-kafka/9093 "
                    + "| tls 443>8443, tls 6651>6653, tls 9093>9095 "
                    + "| tls 443>8443, tls 6651>6653, tls 9093>9095",
            "passthrough | false | true  | true  | true  "
                    + "| https/443 tls-pulsar/6651 "
                    + "| tls 443>8443, tls 6651>6653 "
                    + "| tls 443>8443, tls 6651>6653",
            "passthrough | true  | true  | false | true  "
                    + "| https/443 tls-pulsar/6651 tls-kafka/9093 "
                    + "| tls 443>8443, tls 6651>6653, tls 9093>9095 "
                    + "| tls 443>8443, tls 6651>6653, tls 9093>9095",
    })
    void protocolsThroughTheGateway(String mode, boolean kafka, boolean mqtt, boolean mqttProxy, boolean amqp,
            String servers, String clusterRoutes, String brokerRoutes) {
        PulsarBroker pb = mode.equals("simple") ? simple(2) : passthrough(2);
        if (kafka) {
            if (mode.equals("simple")) {
                kafka(pb);
            } else {
                kafkaTls(pb);
            }
        }
        if (mqtt) {
            mqtt(pb, mqttProxy);
        }
        if (amqp) {
            amqp(pb);
        }
        assertEquals(List.of(), BrokerModel.validate(pb, mesh(pb)));
        List<HasMetadata> objects = istioObjects(pb);
        Gateway gw = gatewayObject(objects);
        assertEquals(servers, gw.getSpec().getServers().stream()
                .map(s -> s.getPort().getName() + "/" + s.getPort().getNumber()).collect(Collectors.joining(" ")));
        for (Server s : gw.getSpec().getServers()) {
            assertEquals(mode.equals("simple") ? ServerTLSSettingsTLSmode.SIMPLE : ServerTLSSettingsTLSmode.PASSTHROUGH,
                    s.getTls().getMode());
            if (s.getPort().getNumber() == 8883 || s.getPort().getNumber() == 5671) {
                assertEquals(List.of(DOMAIN), s.getHosts(), "the MoP and AoP proxies find the owner themselves");
            }
        }
        assertEquals(clusterRoutes, routePorts(find(objects, VirtualService.class, "pc-broker")));
        assertEquals(brokerRoutes, routePorts(find(objects, VirtualService.class, "pc-broker-0")));
        assertEquals(brokerRoutes, routePorts(find(objects, VirtualService.class, "pc-broker-1")));
        assertRoutingIsConsistent(pb);

        boolean unexposed = mode.equals("passthrough") && (mqtt || amqp);
        assertEquals(unexposed,
                BrokerModel.notActedOn(pb).contains("MQTT and AMQP through a passthrough gateway (use gateway.tls.mode simple)"),
                BrokerModel.notActedOn(pb).toString());
    }

    // Gateway binding and selector

    @Test
    void createFalseBindsToTheListedGateways() {
        PulsarBroker pb = simple(2);
        gateway(pb).setCreate(false);
        gateway(pb).setGateways(List.of("istio-system/shared-gateway", "edge/other"));
        assertEquals(List.of(), BrokerModel.validate(pb, mesh(pb)));
        List<HasMetadata> objects = istioObjects(pb);
        assertTrue(all(objects, Gateway.class).isEmpty());
        List<VirtualService> vss = all(objects, VirtualService.class);
        assertEquals(3, vss.size());
        for (VirtualService vs : vss) {
            assertEquals(List.of("istio-system/shared-gateway", "edge/other"), vs.getSpec().getGateways());
        }
        assertEquals(2, all(objects, ServiceEntry.class).size());
    }

    @Test
    void createTrueIgnoresListedGateways() {
        PulsarBroker pb = simple(1);
        gateway(pb).setCreate(true);
        gateway(pb).setGateways(List.of("istio-system/shared-gateway"));
        List<HasMetadata> objects = istioObjects(pb);
        assertNotNull(gatewayObject(objects));
        assertEquals(List.of("pc-broker-gateway"), find(objects, VirtualService.class, "pc-broker").getSpec().getGateways());
    }

    @Test
    void gatewaySelectorDefaultAndCustom() {
        PulsarBroker pb = simple(1);
        assertEquals(Map.of("istio", "ingressgateway"), gatewayObject(istioObjects(pb)).getSpec().getSelector());
        gateway(pb).setSelector(Map.of());
        assertEquals(Map.of("istio", "ingressgateway"), gatewayObject(istioObjects(pb)).getSpec().getSelector());
        gateway(pb).setSelector(Map.of("app", "pulsar-gateway", "istio", "edge"));
        assertEquals(Map.of("app", "pulsar-gateway", "istio", "edge"),
                gatewayObject(istioObjects(pb)).getSpec().getSelector());
    }

    @Test
    void gatewayAdvertisedDomainWinsOverConfig() {
        PulsarBroker pb = simple(1);
        gateway(pb).setAdvertisedDomain("edge.example.org");
        assertEquals("edge.example.org", plan(pb).domain());
        assertEquals(List.of("pb0-edge.example.org"), BrokerGateway.hosts(pb, plan(pb)));
        assertEquals(List.of("edge.example.org"),
                find(istioObjects(pb), VirtualService.class, "pc-broker").getSpec().getHosts());
    }

    @Test
    void singleEntryOfTheGatewaysList() {
        PulsarBroker pb = broker(1);
        IstioGateway gw = gateway(pb, "simple");
        gw.getTls().setCertSecretName("list-cert");
        pb.getSpec().getIstio().setGateway(null);
        pb.getSpec().getIstio().setGateways(List.of(gw));
        assertEquals("list-cert", plan(pb).credentialName());
        assertEquals(List.of(), BrokerModel.validate(pb, mesh(pb)));
        assertNotNull(gatewayObject(istioObjects(pb)));
    }

    @Test
    void listenerNameDefaultAndCustom() {
        PulsarBroker pb = simple(1);
        assertEquals("external", plan(pb).listenerName());
        gateway(pb).setListenerName("public_net");
        assertEquals("public_net", plan(pb).listenerName());
    }

    @Test
    void noGatewayObjectsWithoutGatewayOrOutOfTheMesh() {
        PulsarBroker pb = broker(2);
        assertNull(plan(pb));
        List<String> names = kindsAndNames(istioObjects(pb));
        assertTrue(names.stream().noneMatch(n -> n.startsWith("Gateway/") || n.startsWith("VirtualService/")
                || n.startsWith("ServiceEntry/")), names.toString());

        PulsarBroker off = simple(2);
        off.getSpec().getIstio().setEnabled(false);
        assertNull(plan(off));
        assertEquals(List.of(), istioObjects(off));
        assertEquals(List.of(), BrokerModel.istioObjects(off, ModelSettings.defaults(), Mesh.OFF));
        assertEquals(List.of("ConfigMap/pc-broker", "Service/pc-broker-headless", "Service/pc-broker",
                "PodDisruptionBudget/pc-broker", "StatefulSet/pc-broker"),
                kindsAndNames(BrokerModel.desired(off, ModelSettings.defaults(), mesh(off))));
    }

    // ServiceEntries

    static List<String> sePorts(ServiceEntry se) {
        return se.getSpec().getPorts().stream().map(p -> {
            assertEquals(p.getNumber(), p.getTargetPort());
            return p.getName() + " " + p.getNumber() + " " + p.getProtocol();
        }).toList();
    }

    @Test
    void serviceEntryPerBrokerSelectsItsPod() {
        PulsarBroker pb = simple(3);
        kafka(pb);
        List<HasMetadata> objects = istioObjects(pb);
        for (int i = 0; i < 3; i++) {
            ServiceEntry se = find(objects, ServiceEntry.class, "pc-broker-" + i);
            assertEquals("networking.istio.io/v1", se.getApiVersion());
            assertOwnedByBroker(se);
            assertEquals(List.of(pb(i)), se.getSpec().getHosts());
            assertEquals(ServiceEntryLocation.MESH_INTERNAL, se.getSpec().getLocation());
            assertEquals(ServiceEntryResolution.STATIC, se.getSpec().getResolution());
            Map<String, String> selector = new LinkedHashMap<>(BrokerModel.selector(pb));
            selector.put("statefulset.kubernetes.io/pod-name", "pc-broker-" + i);
            assertEquals(selector, se.getSpec().getWorkloadSelector().getLabels());
            assertEquals(List.of("tcp-pulsar-ext 6652 TCP", "http-web 8080 HTTP", "tcp-kafka-ext 9094 TCP"), sePorts(se));
        }
    }

    @Test
    void passthroughServiceEntryPortsAreTls() {
        PulsarBroker pb = passthrough(1);
        kafkaTls(pb);
        ServiceEntry se = find(istioObjects(pb), ServiceEntry.class, "pc-broker-0");
        assertEquals(List.of("tls-pulsar-ext 6653 TLS", "https-web 8443 TLS", "tls-kafka-ext 9095 TLS"), sePorts(se));
        PulsarBroker noKafka = passthrough(1);
        assertEquals(List.of("tls-pulsar-ext 6653 TLS", "https-web 8443 TLS"),
                sePorts(find(istioObjects(noKafka), ServiceEntry.class, "pc-broker-0")));
        for (ServicePort p : se.getSpec().getPorts()) {
            assertTrue(p.getName().matches("^(tcp|tls|http|https)-.*"), p.getName());
        }
    }

    // Status

    @ParameterizedTest(name = "{0} kafka={1} mqtt={2} amqp={3}")
    @CsvSource(delimiter = '|', value = {
            "simple      | false | false | false | -                       | -                                | -",
            "simple      | true  | true  | true  | pulsar.example.com:9093 | mqtts://pulsar.example.com:8883 | amqps://pulsar.example.com:5671",
            "simple      | false | true  | false | -                       | mqtts://pulsar.example.com:8883 | -",
            "passthrough | false | false | false | -                       | -                                | -",
            "passthrough | true  | true  | true  | pulsar.example.com:9093 | -                                | -",
    })
    void externalEndpoint(String mode, boolean kafka, boolean mqtt, boolean amqp, String kafkaServers, String mqttUrl,
            String amqpUrl) {
        PulsarBroker pb = mode.equals("simple") ? simple(3) : passthrough(3);
        if (kafka) {
            kafkaTls(pb);
        }
        if (mqtt) {
            mqtt(pb, false);
        }
        if (amqp) {
            amqp(pb);
        }
        PulsarBrokerStatus.Endpoint e = BrokerGateway.externalEndpoint(pb, plan(pb));
        assertEquals("pulsar+ssl://pulsar.example.com:6651", e.getPulsarServiceURL());
        assertEquals("https://pulsar.example.com", e.getWebServiceURL());
        assertEquals("-".equals(kafkaServers) ? null : kafkaServers, e.getKafkaBootstrapServers());
        assertEquals("-".equals(mqttUrl) ? null : mqttUrl, e.getMqttServiceURL());
        assertEquals("-".equals(amqpUrl) ? null : amqpUrl, e.getAmqpServiceURL());
    }

    // Validation

    static List<String> reasons(PulsarBroker pb) {
        return BrokerModel.validate(pb, mesh(pb)).stream().map(SpecProblem::reason).toList();
    }

    @Test
    void validGatewaysHaveNoProblems() {
        assertEquals(List.of(), BrokerModel.validate(simple(3), mesh(simple(3))));
        assertEquals(List.of(), BrokerModel.validate(passthrough(3), mesh(passthrough(3))));
        PulsarBroker kafka = passthrough(3);
        kafkaTls(kafka);
        assertEquals(List.of(), BrokerModel.validate(kafka, mesh(kafka)));
    }

    @Test
    void passthroughGatewayCertificateIsTheBrokersCertificate() {
        PulsarBroker pb = passthrough(2);
        pb.getSpec().setTls(null);
        gateway(pb).getTls().setCertSecretName("broker-tls");
        assertTrue(BrokerModel.validate(pb, mesh(pb)).isEmpty(), BrokerModel.validate(pb, mesh(pb)).toString());
        assertTrue(BrokerModel.tlsEnabled(pb));
        assertEquals("broker-tls", BrokerModel.tlsSecret(pb));
        var sts = BrokerModel.statefulSet(pb, io.pulsarmesh.operator.model.common.ModelSettings.defaults(), "h", mesh(pb));
        assertTrue(sts.getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getSecret() != null && "broker-tls".equals(v.getSecret().getSecretName())));
        List<Integer> ports = BrokerModel.clientService(pb, mesh(pb)).getSpec().getPorts().stream()
                .map(p -> p.getPort()).toList();
        assertTrue(ports.containsAll(List.of(6651, 8443, 6653)), ports.toString());
        assertTrue(BrokerModel.config(pb, mesh(pb)).render().contains("tlsCertificateFilePath="));
    }

    @Test
    void httpRoutesAskForTheExternalListener() {
        PulsarBroker pb = simple(2);
        gateway(pb).setListenerName("outside");
        BrokerGateway.Plan plan = BrokerGateway.plan(pb, mesh(pb));
        for (HasMetadata o : BrokerGateway.objects(pb, plan, Map.of())) {
            if (o instanceof VirtualService vs) {
                assertEquals("outside", vs.getSpec().getHttp().get(0).getHeaders().getRequest().getSet()
                        .get(BrokerGateway.LISTENER_HEADER), vs.getMetadata().getName());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing domain                | MissingAdvertisedDomain     | spec.config.advertisedDomain",
            "blank domain                  | MissingAdvertisedDomain     | spec.config.advertisedDomain",
            "passthrough without spec.tls  | PassthroughNeedsBrokerTls   | spec.tls",
            "default mode without spec.tls | PassthroughNeedsBrokerTls   | spec.tls",
            "passthrough tls disabled      | PassthroughNeedsBrokerTls   | spec.tls",
            "kafka passthrough no kop.tls  | PassthroughNeedsKafkaTls    | spec.config.protocolHandlers.kop.tls",
            "kop.tls without secret        | KafkaTlsIncomplete          | spec.config.protocolHandlers.kop.tls",
            "kop.tls without password ref  | KafkaTlsIncomplete          | spec.config.protocolHandlers.kop.tls",
            "kop.tls password without key  | KafkaTlsIncomplete          | spec.config.protocolHandlers.kop.tls",
            "kop.tls incomplete no gateway | KafkaTlsIncomplete          | spec.config.protocolHandlers.kop.tls",
            "host label over 63            | HostNameTooLong             | spec.config.serviceURLGenerationPolicy",
            "two gateways                  | MultipleGatewaysUnsupported | spec.istio.gateways",
            "create false without gateways | MissingGatewayBinding       | spec.istio.gateway.gateways",
            "listener named internal       | ListenerNameClash           | spec.istio.gateway.listenerName",
            "listener named kafka_external | ListenerNameClash           | spec.istio.gateway.listenerName",
            "listener named kafka_internal | ListenerNameClash           | spec.istio.gateway.listenerName",
            "simple without certificate    | MissingGatewayCertificate   | spec.istio.gateway.tls.certSecretName",
            "simple with blank certificate | MissingGatewayCertificate   | spec.istio.gateway.tls.certSecretName",
    })
    void validationProblem(String scenario, String reason, String field) {
        PulsarBroker pb = simple(3);
        switch (scenario) {
            case "missing domain" -> config(pb).setAdvertisedDomain(null);
            case "blank domain" -> config(pb).setAdvertisedDomain(" ");
            case "passthrough without spec.tls" -> {
                // Neither spec.tls nor a certificate named by the gateway for the brokers.
                gateway(pb).getTls().setMode("passthrough");
                gateway(pb).getTls().setCertSecretName(null);
            }
            case "default mode without spec.tls" -> gateway(pb).setTls(null);
            case "passthrough tls disabled" -> {
                pb = passthrough(3);
                pb.getSpec().getTls().setEnabled(false);
            }
            case "kafka passthrough no kop.tls" -> {
                pb = passthrough(3);
                kafka(pb);
            }
            case "kop.tls without secret" -> kafkaTls(pb).getTls().setCertSecretName(null);
            case "kop.tls without password ref" -> kafkaTls(pb).getTls().setPasswordSecretRef(null);
            case "kop.tls password without key" -> kafkaTls(pb).getTls().getPasswordSecretRef().setKey("");
            case "kop.tls incomplete no gateway" -> {
                pb.getSpec().getIstio().setGateway(null);
                kafkaTls(pb).getTls().setCertSecretName(" ");
            }
            case "host label over 63" -> {
                config(pb).setServiceURLGenerationPolicy("NameUIDPrefix");
                pb.getMetadata().setName("a-rather-long-broker-name-for-a-cluster");
                config(pb).setAdvertisedDomain("messaging-platform.example.com");
            }
            case "two gateways" -> pb.getSpec().getIstio().setGateways(List.of(new IstioGateway(), new IstioGateway()));
            case "create false without gateways" -> gateway(pb).setCreate(false);
            case "listener named internal" -> gateway(pb).setListenerName("internal");
            // The Kafka handler's listeners are in advertisedListeners too: a second of the name stops the broker.
            case "listener named kafka_external" -> {
                kafka(pb);
                gateway(pb).setListenerName("kafka_external");
            }
            case "listener named kafka_internal" -> gateway(pb).setListenerName("kafka_internal");
            case "simple without certificate" -> gateway(pb).getTls().setCertSecretName(null);
            case "simple with blank certificate" -> gateway(pb).getTls().setCertSecretName(" ");
            default -> throw new IllegalArgumentException(scenario);
        }
        List<SpecProblem> problems = BrokerModel.validate(pb, mesh(pb));
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(reason, problems.get(0).reason());
        assertEquals(field, problems.get(0).field());
        assertFalse(problems.get(0).message().isBlank());
    }

    @Test
    void reasonConstants() {
        assertEquals("MissingAdvertisedDomain", BrokerGateway.MISSING_DOMAIN);
        assertEquals("PassthroughNeedsBrokerTls", BrokerGateway.PASSTHROUGH_NEEDS_TLS);
        assertEquals("PassthroughNeedsKafkaTls", BrokerGateway.PASSTHROUGH_NEEDS_KOP_TLS);
        assertEquals("KafkaTlsIncomplete", BrokerGateway.KOP_TLS_INCOMPLETE);
        assertEquals("HostNameTooLong", BrokerGateway.HOST_TOO_LONG);
        assertEquals("MultipleGatewaysUnsupported", BrokerGateway.MULTIPLE_GATEWAYS);
        assertEquals("MissingGatewayBinding", BrokerGateway.MISSING_GATEWAY_BINDING);
        assertEquals("ListenerNameClash", BrokerGateway.LISTENER_NAME_CLASH);
        assertEquals("MissingGatewayCertificate", BrokerGateway.MISSING_GATEWAY_CERT);
    }

    @Test
    void simpleBoundToExistingGatewaysNeedsNoCertificate() {
        PulsarBroker pb = simple(2);
        gateway(pb).getTls().setCertSecretName(null);
        gateway(pb).setCreate(false);
        gateway(pb).setGateways(List.of("istio-system/shared-gateway"));
        assertEquals(List.of(), reasons(pb), "the existing Gateway carries its own certificate");
    }

    @Test
    void hostLabelLimitIs63Characters() {
        String label59 = "d".repeat(59);
        PulsarBroker pb = simple(10);
        config(pb).setAdvertisedDomain(label59 + ".example.com");
        assertEquals(63, BrokerGateway.host(pb, plan(pb), 9).indexOf('.'));
        assertEquals(List.of(), reasons(pb), "pb9-<59> is 63 characters");
        pb.getSpec().setReplicas(11);
        List<SpecProblem> problems = BrokerModel.validate(pb, mesh(pb));
        assertEquals(List.of(BrokerGateway.HOST_TOO_LONG), problems.stream().map(SpecProblem::reason).toList());
        assertTrue(problems.get(0).message().contains("pb10-" + label59 + ".example.com"), problems.get(0).message());
        assertTrue(problems.get(0).message().contains("broker 10"), problems.get(0).message());
    }

    @Test
    void hostNameLimitIs253Characters() {
        String domain = "abcde" + ("." + "x".repeat(61)).repeat(4);
        assertEquals(253, domain.length());
        PulsarBroker pb = simple(1);
        config(pb).setAdvertisedDomain(domain);
        assertEquals(List.of(BrokerGateway.HOST_TOO_LONG), reasons(pb));
        config(pb).setAdvertisedDomain(domain.substring(4));
        assertEquals(List.of(), reasons(pb), "249 characters plus pb0- is 253");
    }

    @Test
    void severalProblemsAtOnce() {
        PulsarBroker pb = broker(2);
        gateway(pb, "passthrough").setCreate(false);
        gateway(pb).setListenerName("internal");
        kafka(pb);
        assertEquals(List.of(BrokerGateway.MISSING_GATEWAY_BINDING, BrokerGateway.LISTENER_NAME_CLASH,
                BrokerGateway.PASSTHROUGH_NEEDS_TLS, BrokerGateway.PASSTHROUGH_NEEDS_KOP_TLS), reasons(pb));
    }

    @Test
    void noGatewayProblemsOutOfTheMesh() {
        PulsarBroker pb = broker(2);
        gateway(pb, "passthrough").setCreate(false);
        config(pb).setAdvertisedDomain(null);
        pb.getSpec().getIstio().setEnabled(false);
        assertEquals(List.of(), reasons(pb));
        pb.getSpec().getIstio().setGateways(List.of(new IstioGateway(), new IstioGateway()));
        assertEquals(List.of(), reasons(pb));
    }

    @Test
    void gatewayName() {
        assertEquals("pc-broker-gateway", BrokerGateway.gatewayName(simple(1)));
    }

    @Test
    void brokerServicesCarryTheExternalListenerPort() {
        Service simpleSvc = BrokerModel.clientService(simple(1), mesh(simple(1)));
        assertTrue(simpleSvc.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 6652
                && p.getName().equals("tcp-pulsar-ext")));
        Service passSvc = BrokerModel.headlessService(passthrough(1), mesh(passthrough(1)));
        assertTrue(passSvc.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 6653
                && p.getName().equals("tls-pulsar-ext")));
    }

    /** The ingress gateway's Service must expose a port for every server of the broker's Gateway. */
    @Test
    void requiredServicePortsFollowTheServersOfTheGateway() {
        PulsarBroker pb = simple(2);
        assertEquals(List.of(443, 6651), List.copyOf(BrokerGateway.requiredServicePorts(pb,
                BrokerGateway.plan(pb, mesh(pb))).keySet()));
        kafka(pb);
        mqtt(pb, false);
        amqp(pb);
        Map<Integer, String> all = BrokerGateway.requiredServicePorts(pb, BrokerGateway.plan(pb, mesh(pb)));
        assertEquals(List.of(443, 6651, 9093, 8883, 5671), List.copyOf(all.keySet()));
        java.util.Set<Integer> served = BrokerGateway.gateway(pb, BrokerGateway.plan(pb, mesh(pb)), List.of(),
                Map.of()).getSpec().getServers().stream().map(srv -> srv.getPort().getNumber().intValue())
                .collect(java.util.stream.Collectors.toSet());
        assertEquals(served, all.keySet(), "exactly the Gateway's server ports");

        PulsarBroker pt = passthrough(2);
        kafkaTls(pt);
        mqtt(pt, false);
        assertEquals(List.of(443, 6651, 9093), List.copyOf(BrokerGateway.requiredServicePorts(pt,
                BrokerGateway.plan(pt, mesh(pt))).keySet()), "MQTT and AMQP do not go through passthrough");
    }
}
