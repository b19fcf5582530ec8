package io.pulsarmesh.operator.model.istio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.istio.api.api.security.v1beta1.Rule;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.AutoRecovery;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.common.v1alpha1.GatewayTls;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioGateway;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.PodPolicy;
import io.pulsarmesh.operator.api.common.v1alpha1.ServicePodPolicy;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.BrokerConfig;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.ProtocolHandlers;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.ProxyConfig;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.TlsSpec;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.model.bookkeeper.BookKeeperModel;
import io.pulsarmesh.operator.model.broker.BrokerModel;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.proxy.ProxyModel;
import io.pulsarmesh.operator.model.zookeeper.ZooKeeperModel;

/** The Istio objects and pod mesh labels of each component, through the components' own models. */
class ComponentIstioObjectsTest {
    static final ModelSettings SETTINGS = new ModelSettings("example/pulsar:1.0", 0L);
    static final String OPERATOR = "cluster.local/ns/pulsar-mesh-operator/sa/pulsar-mesh-operator";
    static final String INGRESS = "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";
    static final String INJECT = "sidecar.istio.io/inject";
    static final String REV = "istio.io/rev";
    static final String MODE = "istio.io/dataplane-mode";
    static final String PROXY_CONFIG = "proxy.istio.io/config";

    static Mesh strict() {
        return mesh(Mesh.Mtls.STRICT, Mesh.Dataplane.SIDECAR, null);
    }

    static Mesh mesh(Mesh.Mtls mtls, Mesh.Dataplane dataplane, String revision) {
        return new Mesh(true, mtls, revision, "cluster.local", dataplane, List.of(), List.of());
    }

    static ObjectMetaBuilder meta(String name, String ns) {
        return new ObjectMetaBuilder().withName(name).withNamespace(ns).withUid("uid-" + name);
    }

    static ZooKeeperCluster zk() {
        ZooKeeperCluster zk = new ZooKeeperCluster();
        zk.setMetadata(meta("z1", "ns1").build());
        return zk;
    }

    static BookKeeperCluster bk() {
        BookKeeperCluster bk = new BookKeeperCluster();
        bk.setMetadata(meta("b1", "ns1").build());
        bk.getSpec().setZkServers("z1-zk:2181");
        return bk;
    }

    static PulsarProxy proxy() {
        PulsarProxy pp = new PulsarProxy();
        pp.setMetadata(meta("p1", "ns1").build());
        pp.getSpec().setBrokerAddress("pc-broker");
        return pp;
    }

    static PulsarBroker broker() {
        PulsarBroker pb = new PulsarBroker();
        pb.setMetadata(meta("pc", "ns1").build());
        pb.getSpec().setZkServers("z1-zk:2181");
        return pb;
    }

    static List<String> kindsAndNames(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> kind, String name) {
        List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).toList();
        assertEquals(1, found.size(), () -> kind.getSimpleName() + " " + name + " in " + kindsAndNames(objects));
        return found.get(0);
    }

    static List<String> rules(AuthorizationPolicy ap) {
        return ap.getSpec().getRules().stream().map(IstioPoliciesTest::describe).toList();
    }

    static void assertOwnedBy(List<HasMetadata> objects, HasMetadata owner) {
        assertFalse(objects.isEmpty());
        for (HasMetadata o : objects) {
            assertEquals(owner.getMetadata().getNamespace(), o.getMetadata().getNamespace(), o.getKind());
            List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
            assertEquals(1, refs.size(), o.getKind());
            assertEquals(owner.getKind(), refs.get(0).getKind());
            assertEquals(owner.getApiVersion(), refs.get(0).getApiVersion());
            assertEquals(owner.getMetadata().getName(), refs.get(0).getName());
            assertEquals(owner.getMetadata().getUid(), refs.get(0).getUid());
            assertTrue(refs.get(0).getController());
            assertEquals(owner.getMetadata().getName(), o.getMetadata().getLabels().get(Labels.CLUSTER));
        }
    }

    // ZooKeeper

    @Test
    void zookeeperObjects() {
        ZooKeeperCluster zk = zk();
        List<HasMetadata> objects = ZooKeeperModel.istioObjects(zk, SETTINGS, strict());
        assertEquals(List.of("PeerAuthentication/z1-zk", "DestinationRule/z1-zk", "DestinationRule/z1-zk-headless",
                "AuthorizationPolicy/z1-zk"), kindsAndNames(objects));
        assertOwnedBy(objects, zk);
        AuthorizationPolicy ap = find(objects, AuthorizationPolicy.class, "z1-zk");
        assertEquals(ZooKeeperModel.selector(zk), ap.getSpec().getSelector().getMatchLabels());
        assertEquals(ZooKeeperModel.selector(zk),
                find(objects, PeerAuthentication.class, "z1-zk").getSpec().getSelector().getMatchLabels());
        assertEquals(List.of(
                "from namespaces=[ns1]; to ports=[[2181]]",
                "from principals=[cluster.local/ns/ns1/sa/default]; to ports=[[2888, 3888]]",
                "from principals=[" + OPERATOR + "]; to ports=[[2181, 8000, 9990]]"), rules(ap));
    }

    @Test
    void zookeeperQuorumOnlyFromItsOwnServiceAccount() {
        ZooKeeperCluster zk = zk();
        PodPolicy pod = new PodPolicy();
        pod.setServiceAccountName("zk-sa");
        zk.getSpec().setPod(pod);
        Mesh mesh = new Mesh(true, Mesh.Mtls.STRICT, null, "corp.example", Mesh.Dataplane.AMBIENT, List.of(), List.of());
        AuthorizationPolicy ap = find(ZooKeeperModel.istioObjects(zk, SETTINGS, mesh), AuthorizationPolicy.class,
                "z1-zk");
        for (Rule r : ap.getSpec().getRules()) {
            List<String> ports = r.getTo().get(0).getOperation().getPorts();
            if (ports.contains("2888") || ports.contains("3888")) {
                assertEquals(List.of("2888", "3888"), ports);
                assertEquals(List.of("corp.example/ns/ns1/sa/zk-sa"), r.getFrom().get(0).getSource().getPrincipals());
                assertTrue(IstioPoliciesTest.orEmpty(r.getFrom().get(0).getSource().getNamespaces()).isEmpty());
            }
        }
        assertEquals("from principals=[corp.example/ns/ns1/sa/zk-sa]; to ports=[[2888, 3888]]", rules(ap).get(1));
        assertEquals("from principals=[corp.example/ns/pulsar-mesh-operator/sa/pulsar-mesh-operator]; "
                + "to ports=[[2181, 8000, 9990]]", rules(ap).get(2));
    }

    @Test
    void operatorIdentityFromTheSettings() {
        ModelSettings settings = new ModelSettings("img", 0L,
                new ModelSettings.MeshIdentities("ops/op", List.of("gw/gw-sa")));
        AuthorizationPolicy ap = find(ZooKeeperModel.istioObjects(zk(), settings, strict()), AuthorizationPolicy.class,
                "z1-zk");
        assertEquals("from principals=[cluster.local/ns/ops/sa/op]; to ports=[[2181, 8000, 9990]]", rules(ap).get(2));
    }

    @Test
    void zookeeperDesiredAppendsIstioObjectsOnlyInTheMesh() {
        assertEquals(List.of("ConfigMap/z1-zk", "Service/z1-zk-headless", "Service/z1-zk", "PodDisruptionBudget/z1-zk",
                "StatefulSet/z1-zk", "PeerAuthentication/z1-zk", "DestinationRule/z1-zk",
                "DestinationRule/z1-zk-headless", "AuthorizationPolicy/z1-zk"),
                kindsAndNames(ZooKeeperModel.desired(zk(), SETTINGS, strict())));
        assertEquals(List.of("ConfigMap/z1-zk", "Service/z1-zk-headless", "Service/z1-zk", "PodDisruptionBudget/z1-zk",
                "StatefulSet/z1-zk"), kindsAndNames(ZooKeeperModel.desired(zk(), SETTINGS, Mesh.OFF)));
        assertEquals(List.of(), ZooKeeperModel.istioObjects(zk(), SETTINGS, Mesh.OFF));
    }

    // BookKeeper

    @Test
    void bookkeeperBookieAndAutoRecoveryObjects() {
        BookKeeperCluster bk = bk();
        List<HasMetadata> objects = BookKeeperModel.istioObjects(bk, SETTINGS, strict());
        assertEquals(List.of("PeerAuthentication/b1-bookie", "DestinationRule/b1-bookie",
                "DestinationRule/b1-bookie-headless", "AuthorizationPolicy/b1-bookie",
                "PeerAuthentication/b1-bookie-recovery", "AuthorizationPolicy/b1-bookie-recovery"),
                kindsAndNames(objects));
        assertOwnedBy(objects, bk);

        AuthorizationPolicy bookie = find(objects, AuthorizationPolicy.class, "b1-bookie");
        assertEquals(BookKeeperModel.selector(bk), bookie.getSpec().getSelector().getMatchLabels());
        assertEquals(List.of("from namespaces=[ns1]; to ports=[[3181]]",
                "from principals=[" + OPERATOR + "]; to ports=[[3181, 8000]]"), rules(bookie));

        AuthorizationPolicy recovery = find(objects, AuthorizationPolicy.class, "b1-bookie-recovery");
        Map<String, String> recoverySelector = Labels.selector(Labels.AUTO_RECOVERY, "b1");
        assertEquals(recoverySelector, recovery.getSpec().getSelector().getMatchLabels());
        assertEquals(recoverySelector,
                find(objects, PeerAuthentication.class, "b1-bookie-recovery").getSpec().getSelector().getMatchLabels());
        assertEquals("bookkeeper-auto-recovery", recovery.getMetadata().getLabels().get(Labels.COMPONENT));
        assertEquals(List.of("from principals=[" + OPERATOR + "]; to ports=[[8000]]"), rules(recovery));
    }

    @ParameterizedTest(name = "autoRecovery.replicas {0}")
    @CsvSource({ "0", "-1" })
    void noAutoRecoveryObjectsWithoutWorkers(int replicas) {
        BookKeeperCluster bk = bk();
        AutoRecovery ar = new AutoRecovery();
        ar.setReplicas(replicas);
        bk.getSpec().setAutoRecovery(ar);
        assertEquals(List.of("PeerAuthentication/b1-bookie", "DestinationRule/b1-bookie",
                "DestinationRule/b1-bookie-headless", "AuthorizationPolicy/b1-bookie"),
                kindsAndNames(BookKeeperModel.istioObjects(bk, SETTINGS, strict())));
        assertTrue(BookKeeperModel.desired(bk, SETTINGS, strict()).stream()
                .noneMatch(o -> o.getMetadata().getName().startsWith("b1-bookie-recovery")));
    }

    @Test
    void bookkeeperWithMtlsNoneKeepsOnlyPolicies() {
        assertEquals(List.of("AuthorizationPolicy/b1-bookie", "AuthorizationPolicy/b1-bookie-recovery"),
                kindsAndNames(BookKeeperModel.istioObjects(bk(), SETTINGS,
                        mesh(Mesh.Mtls.NONE, Mesh.Dataplane.AMBIENT, null))));
    }

    // Proxy

    @Test
    void proxyObjects() {
        PulsarProxy pp = proxy();
        List<HasMetadata> objects = ProxyModel.istioObjects(pp, SETTINGS, strict());
        assertEquals(List.of("PeerAuthentication/p1-proxy", "DestinationRule/p1-proxy", "AuthorizationPolicy/p1-proxy"),
                kindsAndNames(objects));
        assertOwnedBy(objects, pp);
        AuthorizationPolicy ap = find(objects, AuthorizationPolicy.class, "p1-proxy");
        assertEquals(ProxyModel.selector(pp), ap.getSpec().getSelector().getMatchLabels());
        assertEquals(List.of("from namespaces=[ns1]; to ports=[[6650, 8080]]",
                "from principals=[" + OPERATOR + "]; to ports=[[6650, 8080]]"), rules(ap));
    }

    @Test
    void proxyWithTlsPermissive() {
        PulsarProxy pp = proxy();
        ProxyConfig c = new ProxyConfig();
        TlsSpec tls = new TlsSpec();
        tls.setEnabled(true);
        tls.setCertSecretName("proxy-tls");
        c.setTls(tls);
        pp.getSpec().setConfig(c);
        AuthorizationPolicy ap = find(ProxyModel.istioObjects(pp, SETTINGS,
                mesh(Mesh.Mtls.PERMISSIVE, Mesh.Dataplane.SIDECAR, null)), AuthorizationPolicy.class, "p1-proxy");
        assertEquals(List.of("to ports=[[6650, 6651, 8080, 8443]]",
                "from principals=[" + OPERATOR + "]; to ports=[[6650, 6651, 8080, 8443]]"), rules(ap));
    }

    // Broker

    @Test
    void brokerObjectsWithoutGateway() {
        PulsarBroker pb = broker();
        List<HasMetadata> objects = BrokerModel.istioObjects(pb, SETTINGS, strict());
        assertEquals(List.of("PeerAuthentication/pc-broker", "DestinationRule/pc-broker",
                "DestinationRule/pc-broker-headless", "AuthorizationPolicy/pc-broker"), kindsAndNames(objects));
        assertOwnedBy(objects, pb);
        AuthorizationPolicy ap = find(objects, AuthorizationPolicy.class, "pc-broker");
        assertTrue(ap.getMetadata().getName().matches(".*-broker$"), "sn-operator users patch it by this name");
        assertEquals(BrokerModel.selector(pb), ap.getSpec().getSelector().getMatchLabels());
        assertEquals(List.of("from namespaces=[ns1]; to ports=[[6650, 8080]]",
                "from principals=[" + OPERATOR + "]; to ports=[[6650, 8080]]"), rules(ap));
        assertEquals("pc-broker-headless.ns1.svc.cluster.local",
                find(objects, io.fabric8.istio.api.networking.v1.DestinationRule.class, "pc-broker-headless").getSpec()
                        .getHost());
    }

    @Test
    void brokerProtocolPortsInThePolicy() {
        PulsarBroker pb = broker();
        TlsSpec tls = new TlsSpec();
        tls.setEnabled(true);
        tls.setCertSecretName("broker-tls");
        pb.getSpec().setTls(tls);
        ProtocolHandlers h = new ProtocolHandlers();
        ProtocolHandlers.Kop kop = new ProtocolHandlers.Kop();
        kop.setEnabled(true);
        h.setKop(kop);
        ProtocolHandlers.Mop mop = new ProtocolHandlers.Mop();
        mop.setEnabled(true);
        mop.setProxyEnabled(true);
        h.setMop(mop);
        ProtocolHandlers.Aop aop = new ProtocolHandlers.Aop();
        aop.setEnabled(true);
        h.setAop(aop);
        BrokerConfig c = new BrokerConfig();
        c.setProtocolHandlers(h);
        pb.getSpec().setConfig(c);
        AuthorizationPolicy ap = find(BrokerModel.istioObjects(pb, SETTINGS, strict()), AuthorizationPolicy.class,
                "pc-broker");
        String ports = "[[1883, 5672, 5682, 5685, 6650, 6651, 8080, 8443, 9092]]";
        assertEquals(List.of("from namespaces=[ns1]; to ports=" + ports,
                "from principals=[" + OPERATOR + "]; to ports=" + ports), rules(ap));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "simple      | [[6652, 8080]]             | [[6650, 6652, 8080]]",
            "passthrough | [[6653, 8443]]             | [[6650, 6651, 6653, 8080, 8443]]",
    })
    void brokerGatewayRuleForTheIngressGateway(String mode, String gatewayPorts, String operatorPorts) {
        PulsarBroker pb = broker();
        BrokerConfig c = new BrokerConfig();
        c.setAdvertisedDomain("pulsar.example.com");
        pb.getSpec().setConfig(c);
        if (mode.equals("passthrough")) {
            TlsSpec tls = new TlsSpec();
            tls.setEnabled(true);
            tls.setCertSecretName("broker-tls");
            pb.getSpec().setTls(tls);
        }
        IstioSpec istio = new IstioSpec();
        istio.setEnabled(true);
        IstioGateway gw = new IstioGateway();
        GatewayTls gwTls = new GatewayTls();
        gwTls.setMode(mode);
        gwTls.setCertSecretName("gw-cert");
        gw.setTls(gwTls);
        istio.setGateway(gw);
        pb.getSpec().setIstio(istio);
        Mesh mesh = Mesh.of(istio);
        AuthorizationPolicy ap = find(BrokerModel.istioObjects(pb, SETTINGS, mesh), AuthorizationPolicy.class,
                "pc-broker");
        String clientPorts = mode.equals("simple") ? "[[6650, 8080]]" : "[[6650, 6651, 8080, 8443]]";
        assertEquals(List.of("from namespaces=[ns1]; to ports=" + clientPorts,
                "from principals=[" + OPERATOR + "]; to ports=" + operatorPorts,
                "from principals=[" + INGRESS + "]; to ports=" + gatewayPorts), rules(ap));
    }

    // Pod templates in and out of the mesh

    record Workload(String name, Function<Mesh, List<HasMetadata>> desired, String kind, String object,
            Map<String, String> selector) {
        ObjectMeta podMeta(Mesh mesh) {
            List<HasMetadata> objects = desired.apply(mesh);
            return kind.equals("StatefulSet") ? find(objects, StatefulSet.class, object).getSpec().getTemplate()
                    .getMetadata() : find(objects, Deployment.class, object).getSpec().getTemplate().getMetadata();
        }
    }

    static List<Workload> workloads() {
        return List.of(
                new Workload("zookeeper", m -> ZooKeeperModel.desired(zk(), SETTINGS, m), "StatefulSet", "z1-zk",
                        Labels.selector(Labels.ZOOKEEPER, "z1")),
                new Workload("bookie", m -> BookKeeperModel.desired(bk(), SETTINGS, m), "StatefulSet", "b1-bookie",
                        Labels.selector(Labels.BOOKIE, "b1")),
                new Workload("auto-recovery", m -> BookKeeperModel.desired(bk(), SETTINGS, m), "StatefulSet",
                        "b1-bookie-recovery", Labels.selector(Labels.AUTO_RECOVERY, "b1")),
                new Workload("broker", m -> BrokerModel.desired(broker(), SETTINGS, m), "StatefulSet", "pc-broker",
                        Labels.selector(Labels.BROKER, "pc")),
                new Workload("proxy", m -> ProxyModel.desired(proxy(), SETTINGS, m), "Deployment", "p1-proxy",
                        Labels.selector(Labels.PROXY, "p1")));
    }

    static Map<String, String> meshLabels(ObjectMeta meta) {
        Map<String, String> m = new LinkedHashMap<>(meta.getLabels());
        m.keySet().retainAll(List.of(INJECT, REV, MODE));
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "sidecar         | sidecar.istio.io/inject=true,istio.io/dataplane-mode=none    | true",
            "sidecar canary  | sidecar.istio.io/inject=true,istio.io/dataplane-mode=none,istio.io/rev=canary | true",
            "ambient         | istio.io/dataplane-mode=ambient,sidecar.istio.io/inject=false | false",
            "off             | sidecar.istio.io/inject=false,istio.io/dataplane-mode=none    | false",
    })
    void podTemplateMeshLabels(String mode, String expectedLabels, boolean holdUntilProxyStarts) {
        Mesh mesh = switch (mode) {
            case "sidecar" -> strict();
            case "sidecar canary" -> mesh(Mesh.Mtls.STRICT, Mesh.Dataplane.SIDECAR, "canary");
            case "ambient" -> mesh(Mesh.Mtls.STRICT, Mesh.Dataplane.AMBIENT, "canary");
            default -> Mesh.OFF;
        };
        Map<String, String> expected = new LinkedHashMap<>();
        for (String kv : expectedLabels.split(",")) {
            expected.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        for (Workload w : workloads()) {
            ObjectMeta meta = w.podMeta(mesh);
            assertEquals(expected, meshLabels(meta), w.name());
            assertTrue(meta.getLabels().entrySet().containsAll(w.selector().entrySet()), w.name());
            assertEquals(holdUntilProxyStarts, meta.getAnnotations().containsKey(PROXY_CONFIG), w.name());
            assertTrue(meta.getAnnotations().containsKey(Labels.CONFIG_HASH_ANNOTATION), w.name());
        }
    }

    @Test
    void userPodLabelsInjectOutOfTheMeshButNotInIt() {
        ZooKeeperCluster zk = zk();
        PodPolicy pod = new PodPolicy();
        pod.setLabels(Map.of(INJECT, "true", REV, "old"));
        zk.getSpec().setPod(pod);
        ObjectMeta off = find(ZooKeeperModel.desired(zk, SETTINGS, Mesh.OFF), StatefulSet.class, "z1-zk").getSpec()
                .getTemplate().getMetadata();
        assertEquals(Map.of(INJECT, "true", REV, "old", MODE, "none"), meshLabels(off));
        ObjectMeta ambient = find(ZooKeeperModel.desired(zk, SETTINGS, mesh(Mesh.Mtls.STRICT, Mesh.Dataplane.AMBIENT,
                null)), StatefulSet.class, "z1-zk").getSpec().getTemplate().getMetadata();
        assertEquals(Map.of(INJECT, "false", MODE, "ambient"), meshLabels(ambient));

        PulsarBroker pb = broker();
        ServicePodPolicy bpod = new ServicePodPolicy();
        bpod.setLabels(Map.of(INJECT, "true"));
        pb.getSpec().setPod(bpod);
        ObjectMeta brokerOff = find(BrokerModel.desired(pb, SETTINGS, Mesh.OFF), StatefulSet.class, "pc-broker")
                .getSpec().getTemplate().getMetadata();
        assertEquals(Map.of(INJECT, "true", MODE, "none"), meshLabels(brokerOff));
    }

    @Test
    void autoRecoveryPodLabelsComeFromItsOwnPodPolicy() {
        BookKeeperCluster bk = bk();
        AutoRecovery ar = new AutoRecovery();
        PodPolicy pod = new PodPolicy();
        pod.setLabels(Map.of(INJECT, "true"));
        ar.setPod(pod);
        bk.getSpec().setAutoRecovery(ar);
        List<HasMetadata> objects = BookKeeperModel.desired(bk, SETTINGS, Mesh.OFF);
        assertEquals(Map.of(INJECT, "true", MODE, "none"), meshLabels(find(objects, StatefulSet.class,
                "b1-bookie-recovery").getSpec().getTemplate().getMetadata()));
        assertEquals(Map.of(INJECT, "false", MODE, "none"), meshLabels(find(objects, StatefulSet.class,
                "b1-bookie").getSpec().getTemplate().getMetadata()));
    }
}
