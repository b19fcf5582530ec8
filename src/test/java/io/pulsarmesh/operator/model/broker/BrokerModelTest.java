package io.pulsarmesh.operator.model.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioGateway;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.JvmOptions;
import io.pulsarmesh.operator.api.common.v1alpha1.SecretRef;
import io.pulsarmesh.operator.api.common.v1alpha1.ServicePodPolicy;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.BrokerConfig;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.ProtocolHandlers;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBrokerStatus;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.TlsSpec;
import io.pulsarmesh.operator.model.common.ConfigFile;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.common.PodTemplates;
import io.pulsarmesh.operator.model.common.Scripts;
import io.pulsarmesh.operator.model.common.SpecProblem;

class BrokerModelTest {
    static final String NAME = "pc";
    static final String NS = "pulsar";
    static final String FQDN = "pc-broker.pulsar.svc.cluster.local";

    static PulsarBroker broker() {
        PulsarBroker pb = new PulsarBroker();
        pb.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(NS).withUid("uid-1").build());
        pb.getSpec().setZkServers("pc-zk:2181");
        return pb;
    }

    static BrokerConfig config(PulsarBroker pb) {
        if (pb.getSpec().getConfig() == null) {
            pb.getSpec().setConfig(new BrokerConfig());
        }
        return pb.getSpec().getConfig();
    }

    static void enableTls(PulsarBroker pb) {
        TlsSpec tls = new TlsSpec();
        tls.setEnabled(true);
        tls.setCertSecretName("broker-tls");
        pb.getSpec().setTls(tls);
    }

    static <T> T find(List<HasMetadata> objects, Class<T> kind, String name) {
        return objects.stream().filter(kind::isInstance).filter(o -> o.getMetadata().getName().equals(name))
                .map(kind::cast).findFirst().orElseThrow(() -> new AssertionError(kind.getSimpleName() + " " + name));
    }

    static Container brokerContainer(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static StatefulSet sts(PulsarBroker pb) {
        return find(BrokerModel.desired(pb, ModelSettings.defaults()), StatefulSet.class, "pc-broker");
    }

    static Map<String, EnvVar> env(Container c) {
        Map<String, EnvVar> m = new LinkedHashMap<>();
        c.getEnv().forEach(e -> {
            assertNull(m.put(e.getName(), e), "duplicate env " + e.getName());
        });
        return m;
    }

    static Map<String, String> portNames(List<ServicePort> ports) {
        Map<String, String> m = new LinkedHashMap<>();
        ports.forEach(p -> {
            assertEquals(p.getPort(), p.getTargetPort().getIntVal());
            assertEquals("TCP", p.getProtocol());
            m.put(p.getName(), p.getPort() + "/" + p.getAppProtocol());
        });
        return m;
    }

    @Test
    void desiredObjectsNamesKindsAndOrder() {
        List<HasMetadata> objects = BrokerModel.desired(broker(), ModelSettings.defaults());
        assertEquals(List.of("ConfigMap/pc-broker", "Service/pc-broker-headless", "Service/pc-broker",
                "PodDisruptionBudget/pc-broker", "StatefulSet/pc-broker"),
                objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList());
    }

    @Test
    void labelsOwnerAndNamespaceOnEveryObject() {
        PulsarBroker pb = broker();
        pb.getSpec().setLabels(Map.of("team", "a", Labels.COMPONENT, "hijack"));
        for (HasMetadata o : BrokerModel.desired(pb, ModelSettings.defaults())) {
            assertEquals(NS, o.getMetadata().getNamespace(), o.getKind());
            Map<String, String> l = o.getMetadata().getLabels();
            assertEquals("pulsar", l.get(Labels.APP));
            assertEquals(NAME, l.get(Labels.CLUSTER));
            assertEquals("broker", l.get(Labels.COMPONENT), "selector labels win over user labels");
            assertEquals(Labels.MANAGED_BY_VALUE, l.get(Labels.MANAGED_BY));
            assertEquals("a", l.get("team"));
            assertEquals(1, o.getMetadata().getOwnerReferences().size());
            OwnerReference ref = o.getMetadata().getOwnerReferences().get(0);
            assertEquals("PulsarBroker", ref.getKind());
            assertEquals(pb.getApiVersion(), ref.getApiVersion());
            assertEquals(NAME, ref.getName());
            assertEquals("uid-1", ref.getUid());
            assertTrue(ref.getController());
            assertTrue(ref.getBlockOwnerDeletion());
        }
    }

    @Test
    void servicesAndPortsWithoutTls() {
        List<HasMetadata> objects = BrokerModel.desired(broker(), ModelSettings.defaults());
        Service headless = find(objects, Service.class, "pc-broker-headless");
        assertEquals("None", headless.getSpec().getClusterIP());
        assertTrue(headless.getSpec().getPublishNotReadyAddresses());
        Service client = find(objects, Service.class, "pc-broker");
        assertEquals("ClusterIP", client.getSpec().getType());
        assertNull(client.getSpec().getClusterIP());
        Map<String, String> expected = Map.of("tcp-pulsar", "6650/tcp", "http-web", "8080/http");
        assertEquals(expected, portNames(headless.getSpec().getPorts()));
        assertEquals(expected, portNames(client.getSpec().getPorts()));
        assertEquals(BrokerModel.selector(broker()), client.getSpec().getSelector());
        assertEquals(Map.of(Labels.APP, "pulsar", Labels.CLUSTER, NAME, Labels.COMPONENT, "broker"),
                headless.getSpec().getSelector());
    }

    @Test
    void tlsAddsPortsKeysAndCertVolume() {
        PulsarBroker pb = broker();
        enableTls(pb);
        List<HasMetadata> objects = BrokerModel.desired(pb, ModelSettings.defaults());
        Service client = find(objects, Service.class, "pc-broker");
        assertEquals(Map.of("tcp-pulsar", "6650/tcp", "http-web", "8080/http", "tls-pulsar", "6651/tls",
                "https-web", "8443/https"), portNames(client.getSpec().getPorts()));
        assertEquals(4, find(objects, Service.class, "pc-broker-headless").getSpec().getPorts().size());

        ConfigFile f = BrokerModel.config(pb);
        assertEquals("6651", f.get("brokerServicePortTls"));
        assertEquals("8443", f.get("webServicePortTls"));
        assertEquals("/pulsar/certs/tls.crt", f.get("tlsCertificateFilePath"));
        assertEquals("/pulsar/certs/tls.key", f.get("tlsKeyFilePath"));
        assertEquals("/pulsar/certs/ca.crt", f.get("tlsTrustCertsFilePath"));

        StatefulSet sts = find(objects, StatefulSet.class, "pc-broker");
        Volume certs = sts.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("certs")).findFirst().orElseThrow();
        assertEquals("broker-tls", certs.getSecret().getSecretName());
        VolumeMount mount = brokerContainer(sts).getVolumeMounts().stream().filter(m -> m.getName().equals("certs"))
                .findFirst().orElseThrow();
        assertEquals("/pulsar/certs", mount.getMountPath());
        assertTrue(mount.getReadOnly());
        assertEquals(List.of(6650, 8080, 6651, 8443),
                brokerContainer(sts).getPorts().stream().map(ContainerPort::getContainerPort).toList());

        String script = BrokerModel.configMap(pb).getData().get(Scripts.START_SCRIPT);
        assertTrue(script.contains("--web-service-url-tls 'https://" + FQDN + ":8443'"), script);
        assertTrue(script.contains("--broker-service-url-tls 'pulsar+ssl://" + FQDN + ":6651'"), script);
    }

    @Test
    void withoutTlsNoTlsKeysNoCertVolume() {
        PulsarBroker pb = broker();
        TlsSpec off = new TlsSpec();
        off.setEnabled(false);
        off.setCertSecretName("unused");
        pb.getSpec().setTls(off);
        ConfigFile f = BrokerModel.config(pb);
        for (String k : List.of("brokerServicePortTls", "webServicePortTls", "tlsCertificateFilePath",
                "tlsKeyFilePath", "tlsTrustCertsFilePath")) {
            assertNull(f.get(k), k);
        }
        StatefulSet sts = sts(pb);
        assertFalse(sts.getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getName().equals("certs")));
        assertFalse(brokerContainer(sts).getVolumeMounts().stream().anyMatch(m -> m.getName().equals("certs")));
        assertFalse(BrokerModel.configMap(pb).getData().get(Scripts.START_SCRIPT).contains("-tls"));
    }

    @Test
    void baseConfigKeys() {
        ConfigFile f = BrokerModel.config(broker());
        assertEquals(NAME, f.get("clusterName"));
        assertEquals("zk:pc-zk:2181", f.get("metadataStoreUrl"));
        assertEquals("zk:pc-zk:2181", f.get("configurationMetadataStoreUrl"));
        assertEquals("zk+hierarchical://pc-zk:2181/ledgers", f.get("bookkeeperMetadataServiceUri"));
        assertEquals("6650", f.get("brokerServicePort"));
        assertEquals("8080", f.get("webServicePort"));
        assertEquals("/pulsar/logs/status", f.get("statusFilePath"));
        assertNull(f.get("advertisedAddress"), "per pod: the start script writes it");
        assertNull(f.get("transactionCoordinatorEnabled"));
        assertNull(f.get("webSocketServiceEnabled"));
        assertNull(f.get("loadManagerClassName"));
        String rendered = BrokerModel.configMap(broker()).getData().get("broker.conf");
        assertTrue(rendered.startsWith("clusterName=pc\nmetadataStoreUrl=zk:pc-zk:2181\n"), rendered);
    }

    @Test
    void typedSettings() {
        PulsarBroker pb = broker();
        config(pb).setClusterName("prod");
        config(pb).setTransactionEnabled(true);
        config(pb).setWebSocketServiceEnabled(false);
        ConfigFile f = BrokerModel.config(pb);
        assertEquals("prod", f.get("clusterName"));
        assertEquals("true", f.get("transactionCoordinatorEnabled"));
        assertEquals("false", f.get("webSocketServiceEnabled"));
    }

    @Test
    void metadataFromZkServersWithSeveralHosts() {
        PulsarBroker pb = broker();
        pb.getSpec().setZkServers("zk-0:2181,zk-1:2181,zk-2:2181");
        assertEquals("zk:zk-0:2181,zk-1:2181,zk-2:2181", BrokerModel.metadataStoreUrl(pb));
        assertEquals("zk+hierarchical://zk-0:2181;zk-1:2181;zk-2:2181/ledgers",
                BrokerModel.bookkeeperMetadataServiceUri(pb));
    }

    @Test
    void metadataStoreUrlOverridesZkServers() {
        PulsarBroker pb = broker();
        pb.getSpec().setMetadataStoreUrl("zk:other-zk:2181/pulsar");
        assertEquals("zk:other-zk:2181/pulsar", BrokerModel.metadataStoreUrl(pb));
        assertEquals("zk:other-zk:2181/pulsar", BrokerModel.configurationMetadataStoreUrl(pb));
    }

    @Test
    void bookkeeperUriFromZkMetadataStoreUrlAlone() {
        PulsarBroker pb = broker();
        pb.getSpec().setZkServers(null);
        pb.getSpec().setMetadataStoreUrl("zk:a:2181,b:2181");
        assertEquals("zk+hierarchical://a:2181;b:2181/ledgers", BrokerModel.bookkeeperMetadataServiceUri(pb));
    }

    @Test
    void bookkeeperUriFromOtherMetadataStore() {
        PulsarBroker pb = broker();
        pb.getSpec().setZkServers(null);
        pb.getSpec().setMetadataStoreUrl("etcd:http://etcd:2379");
        assertEquals("metadata-store:etcd:http://etcd:2379", BrokerModel.bookkeeperMetadataServiceUri(pb));
    }

    @Test
    void explicitBookkeeperUriWins() {
        PulsarBroker pb = broker();
        pb.getSpec().setBkMetadataServiceUri("zk+hierarchical://bk-zk:2181/ledgers2");
        assertEquals("zk+hierarchical://bk-zk:2181/ledgers2", BrokerModel.config(pb).get("bookkeeperMetadataServiceUri"));
    }

    @Test
    void configurationStoreVariants() {
        PulsarBroker pb = broker();
        pb.getSpec().setConfigurationStoreServers("global-zk:2181");
        assertEquals("zk:global-zk:2181", BrokerModel.configurationMetadataStoreUrl(pb));
        pb.getSpec().setConfigurationMetadataStoreUrl("zk:explicit:2181");
        assertEquals("zk:explicit:2181", BrokerModel.config(pb).get("configurationMetadataStoreUrl"));
    }

    @Test
    void loadManagerTypeMapping() {
        assertEquals("org.apache.pulsar.broker.loadbalance.extensions.ExtensibleLoadManagerImpl",
                BrokerModel.loadManagerClassName("extensible"));
        assertEquals("org.apache.pulsar.broker.loadbalance.impl.ModularLoadManagerImpl",
                BrokerModel.loadManagerClassName("shared"));
        assertEquals("org.apache.pulsar.broker.loadbalance.impl.ModularLoadManagerImpl",
                BrokerModel.loadManagerClassName("modular"));
        assertEquals("com.example.MyLoadManager", BrokerModel.loadManagerClassName("com.example.MyLoadManager"));
        assertNull(BrokerModel.loadManagerClassName("fancy"));
        assertNull(BrokerModel.loadManagerClassName(null));

        PulsarBroker pb = broker();
        config(pb).setLoadManagerType("extensible");
        assertEquals(BrokerModel.EXTENSIBLE_LOAD_MANAGER, BrokerModel.config(pb).get("loadManagerClassName"));
        assertFalse(BrokerModel.notActedOn(pb).contains("spec.config.loadManagerType"));
        config(pb).setLoadManagerType("fancy");
        assertNull(BrokerModel.config(pb).get("loadManagerClassName"));
        assertTrue(BrokerModel.notActedOn(pb).contains("spec.config.loadManagerType"));
    }

    @Test
    void customKeysComeLastWithPrefixStripped() {
        PulsarBroker pb = broker();
        config(pb).setCustom(Map.of("managedLedgerDefaultEnsembleSize", "2",
                "PULSAR_PREFIX_brokerDeleteInactiveTopicsEnabled", "false"));
        ConfigFile f = BrokerModel.config(pb);
        assertEquals("2", f.get("managedLedgerDefaultEnsembleSize"));
        assertEquals("false", f.get("brokerDeleteInactiveTopicsEnabled"));
        assertNull(f.get("PULSAR_PREFIX_brokerDeleteInactiveTopicsEnabled"));
        List<String> keys = List.copyOf(f.entries().keySet());
        assertEquals(List.of("brokerDeleteInactiveTopicsEnabled", "managedLedgerDefaultEnsembleSize"),
                keys.subList(keys.size() - 2, keys.size()));
        assertTrue(BrokerModel.validate(pb).isEmpty());
    }

    @Test
    void reservedKeysAreRefused() {
        PulsarBroker pb = broker();
        config(pb).setCustom(Map.of("brokerServicePort", "7000", "PULSAR_PREFIX_advertisedListeners", "x",
                "metadataStoreUrl", "zk:x", "numIOThreads", "8"));
        List<SpecProblem> problems = BrokerModel.validate(pb);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.stream().allMatch(p -> p.reason().equals(SpecProblem.RESERVED_CONFIG_KEY)));
        assertEquals(List.of("spec.config.custom.PULSAR_PREFIX_advertisedListeners",
                "spec.config.custom.brokerServicePort", "spec.config.custom.metadataStoreUrl"),
                problems.stream().map(SpecProblem::field).toList());
    }

    @Test
    void everyOwnedKeyIsRefused() {
        for (String key : List.of("clusterName", "metadataStoreUrl", "configurationMetadataStoreUrl",
                "zookeeperServers", "configurationStoreServers", "bookkeeperMetadataServiceUri", "brokerServicePort",
                "brokerServicePortTls", "webServicePort", "webServicePortTls", "advertisedAddress",
                "advertisedListeners", "internalListenerName", "bindAddress", "bindAddresses", "statusFilePath",
                "tlsCertificateFilePath", "tlsKeyFilePath", "tlsTrustCertsFilePath")) {
            PulsarBroker pb = broker();
            config(pb).setCustom(Map.of(key, "x"));
            assertEquals(1, BrokerModel.validate(pb).size(), key);
        }
    }

    @Test
    void missingMetadataStore() {
        PulsarBroker pb = broker();
        pb.getSpec().setZkServers(" ");
        List<SpecProblem> problems = BrokerModel.validate(pb);
        assertEquals(1, problems.size());
        assertEquals(SpecProblem.MISSING_METADATA_STORE, problems.get(0).reason());
        assertEquals("spec.zkServers", problems.get(0).field());
        pb.getSpec().setMetadataStoreUrl("zk:pc-zk:2181");
        assertTrue(BrokerModel.validate(pb).isEmpty());
    }

    @Test
    void notActedOnFields() {
        PulsarBroker pb = broker();
        assertTrue(BrokerModel.notActedOn(pb).isEmpty());
        IstioSpec istio = new IstioSpec();
        istio.setEnabled(true);
        pb.getSpec().setIstio(istio);
        pb.getSpec().setAdvertisedListeners(List.of(node(Map.of("name", "external"))));
        pb.getSpec().setNetworking(node(Map.of("podService", Map.of())));
        pb.getSpec().setUpdateStrategy(node(Map.of("partition", 1)));
        pb.getSpec().setAutoScalingPolicy(node(Map.of("maxReplicas", 5)));
        pb.getSpec().setInitJobPod(node(Map.of("x", 1)));
        pb.getSpec().setInterceptors(List.of(node(Map.of("x", 1))));
        pb.getSpec().setCleanUpPolicy("Delete");
        config(pb).setAuthentication(node(Map.of("jwt", Map.of())));
        config(pb).setAuthorization(node(Map.of("superUserRoles", List.of("admin"))));
        config(pb).setClientAuth(node(Map.of("x", 1)));
        config(pb).setFunction(node(Map.of("enabled", true)));
        config(pb).setTieredStorageConfig(node(Map.of("x", 1)));
        config(pb).setPlacementPolicy("rack");
        ProtocolHandlers handlers = new ProtocolHandlers();
        ProtocolHandlers.Kop kop = new ProtocolHandlers.Kop();
        kop.setEnabled(true);
        handlers.setKop(kop);
        config(pb).setProtocolHandlers(handlers);
        // Istio and the protocol handlers are acted on.
        assertEquals(List.of("spec.advertisedListeners", "spec.networking", "spec.updateStrategy",
                "spec.autoScalingPolicy", "spec.initJobPod", "spec.interceptors", "spec.cleanUpPolicy",
                "spec.config.authentication", "spec.config.authorization", "spec.config.clientAuth",
                "spec.config.function", "spec.config.tieredStorageConfig", "spec.config.placementPolicy"),
                BrokerModel.notActedOn(pb));
    }

    @Test
    void gatewayWithoutIstioIsReportedNotActedOn() {
        PulsarBroker pb = broker();
        IstioSpec istio = new IstioSpec();
        istio.setGateway(new IstioGateway());
        pb.getSpec().setIstio(istio);
        assertEquals(List.of("spec.istio.gateway (needs spec.istio.enabled)"), BrokerModel.notActedOn(pb));
        istio.setEnabled(true);
        assertTrue(BrokerModel.notActedOn(pb).isEmpty());
    }

    @Test
    void startScriptAdvertisesPodFqdnAndInitializes() {
        String script = BrokerModel.configMap(broker()).getData().get(Scripts.START_SCRIPT);
        assertTrue(script.startsWith(Scripts.header()));
        assertTrue(script.contains(
                "echo \"advertisedAddress=${HOSTNAME}.pc-broker-headless.pulsar.svc.cluster.local\" >> \"$overrides\""),
                script);
        assertTrue(script.contains("cat /pulsar/operator/broker.conf > \"$overrides\""), script);
        assertTrue(script.contains("merge_config \"$conf\" \"$overrides\""), script);
        assertTrue(script.contains("echo OK > /pulsar/logs/status"), script);
        assertTrue(script.contains("until PULSAR_MEM=\"-Xmx128m\" bin/pulsar initialize-cluster-metadata"), script);
        assertTrue(script.contains("--cluster 'pc'"), script);
        assertTrue(script.contains("--metadata-store 'zk:pc-zk:2181'"), script);
        assertTrue(script.contains("--configuration-metadata-store 'zk:pc-zk:2181'"), script);
        assertTrue(script.contains("--existing-bk-metadata-service-uri 'zk+hierarchical://pc-zk:2181/ledgers'"),
                script);
        assertTrue(script.contains("--web-service-url 'http://" + FQDN + ":8080'"), script);
        assertTrue(script.contains("--broker-service-url 'pulsar://" + FQDN + ":6650'"), script);
        assertTrue(script.contains("sleep 5"), script);
        assertTrue(script.contains("export PULSAR_BROKER_CONF=\"$conf\""), script);
        assertTrue(script.trim().endsWith("exec bin/pulsar broker"), script);
        // order: merge, status, initialize, exec
        assertTrue(script.indexOf("merge_config \"$conf\"") < script.indexOf("echo OK"));
        assertTrue(script.indexOf("echo OK") < script.indexOf("initialize-cluster-metadata"));
        assertTrue(script.indexOf("initialize-cluster-metadata") < script.indexOf("exec bin/pulsar broker"));
    }

    @Test
    void startScriptPodIpAndInitialized() {
        PulsarBroker pb = broker();
        config(pb).setUsePodIPAsAdvertisedAddress(true);
        pb.getSpec().setInitialized(true);
        String script = BrokerModel.configMap(pb).getData().get(Scripts.START_SCRIPT);
        assertTrue(script.contains("echo \"advertisedAddress=${POD_IP}\""), script);
        assertFalse(script.contains("HOSTNAME}."), script);
        assertFalse(script.contains("initialize-cluster-metadata"), script);
        assertTrue(script.contains("exec bin/pulsar broker"));
    }

    @Test
    void shellQuoting() {
        assertEquals("'a'\\''b'", BrokerModel.quote("a'b"));
    }

    @Test
    void configMapHoldsFilesAndLogTemplate() {
        PulsarBroker pb = broker();
        ConfigMap cm = BrokerModel.configMap(pb);
        assertEquals(List.of("broker.conf", "start.sh"), List.copyOf(cm.getData().keySet()));
        io.pulsarmesh.operator.api.common.v1alpha1.LogConfig log = new io.pulsarmesh.operator.api.common.v1alpha1.LogConfig();
        log.setTemplate("Configuration: {}");
        pb.getSpec().setLogConfig(log);
        assertEquals("Configuration: {}", BrokerModel.configMap(pb).getData().get(Scripts.LOG4J_FILE));
    }

    @Test
    void configHashStableAndChangesWithConfig() {
        String h1 = sts(broker()).getSpec().getTemplate().getMetadata().getAnnotations()
                .get(Labels.CONFIG_HASH_ANNOTATION);
        String h2 = sts(broker()).getSpec().getTemplate().getMetadata().getAnnotations()
                .get(Labels.CONFIG_HASH_ANNOTATION);
        assertEquals(h1, h2);
        assertEquals(PodTemplates.hash(BrokerModel.configMap(broker()).getData()), h1);
        PulsarBroker changed = broker();
        config(changed).setCustom(Map.of("numIOThreads", "8"));
        assertNotEquals(h1, sts(changed).getSpec().getTemplate().getMetadata().getAnnotations()
                .get(Labels.CONFIG_HASH_ANNOTATION));
        PulsarBroker initialized = broker();
        initialized.getSpec().setInitialized(true);
        assertNotEquals(h1, sts(initialized).getSpec().getTemplate().getMetadata().getAnnotations()
                .get(Labels.CONFIG_HASH_ANNOTATION), "the script is part of the hash");
    }

    @Test
    void statefulSetShape() {
        PulsarBroker pb = broker();
        pb.getSpec().setReplicas(5);
        pb.getSpec().setImage("streamnative/private-cloud:4.0.5.2");
        StatefulSet sts = sts(pb);
        assertEquals(5, sts.getSpec().getReplicas());
        assertEquals("pc-broker-headless", sts.getSpec().getServiceName());
        assertEquals("Parallel", sts.getSpec().getPodManagementPolicy());
        assertEquals("OnDelete", sts.getSpec().getUpdateStrategy().getType());
        assertTrue(sts.getSpec().getVolumeClaimTemplates() == null || sts.getSpec().getVolumeClaimTemplates().isEmpty());
        assertEquals(BrokerModel.selector(pb), sts.getSpec().getSelector().getMatchLabels());
        assertTrue(sts.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(BrokerModel.selector(pb).entrySet()));
        assertEquals("pc-broker", sts.getSpec().getTemplate().getSpec().getVolumes().get(0).getConfigMap().getName());

        Container c = brokerContainer(sts);
        assertEquals("broker", c.getName());
        assertEquals("streamnative/private-cloud:4.0.5.2", c.getImage());
        assertEquals(List.of("bash", "/pulsar/operator/start.sh"), c.getCommand());
        assertEquals(List.of("tcp-pulsar", "http-web"), c.getPorts().stream().map(ContainerPort::getName).toList());
        assertEquals("/status.html", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(8080, c.getReadinessProbe().getHttpGet().getPort().getIntVal());
        assertEquals("/status.html", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals(8080, c.getLivenessProbe().getHttpGet().getPort().getIntVal());
        assertEquals("/status.html", c.getStartupProbe().getHttpGet().getPath());
        assertEquals(10, c.getStartupProbe().getPeriodSeconds());
        assertEquals(60, c.getStartupProbe().getFailureThreshold());
        assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("/pulsar/operator"), c.getVolumeMounts().stream().map(VolumeMount::getMountPath).toList());
    }

    @Test
    void defaultReplicasAndImage() {
        StatefulSet sts = sts(broker());
        assertEquals(3, sts.getSpec().getReplicas());
        assertEquals(ModelSettings.DEFAULT_IMAGE, brokerContainer(sts).getImage());
    }

    @Test
    void pdbAllowsOneBrokerDown() {
        PodDisruptionBudget pdb = find(BrokerModel.desired(broker(), ModelSettings.defaults()),
                PodDisruptionBudget.class, "pc-broker");
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
        assertEquals(BrokerModel.selector(broker()), pdb.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void containerEnvJvmLogAndUserVars() {
        PulsarBroker pb = broker();
        ServicePodPolicy pod = new ServicePodPolicy();
        JvmOptions jvm = new JvmOptions();
        jvm.setMemoryOptions(List.of("-Xms2g", "-Xmx2g"));
        pod.setJvmOptions(jvm);
        pod.setVars(List.of(PodTemplates.env("PULSAR_LOG_LEVEL", "debug"), PodTemplates.env("EXTRA", "1")));
        pb.getSpec().setPod(pod);
        Map<String, EnvVar> env = env(brokerContainer(sts(pb)));
        assertEquals("metadata.name", env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("status.podIP", env.get("POD_IP").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("-Xms2g -Xmx2g", env.get("PULSAR_MEM").getValue());
        assertEquals("debug", env.get("PULSAR_LOG_LEVEL").getValue());
        List<String> names = List.copyOf(env.keySet());
        assertEquals(List.of("PULSAR_LOG_LEVEL", "EXTRA"), names.subList(names.size() - 2, names.size()));
    }

    @Test
    void defaultEnvHasDefaultMemory() {
        Map<String, EnvVar> env = env(brokerContainer(sts(broker())));
        assertEquals("-XX:InitialRAMPercentage=30 -XX:MaxRAMPercentage=30", env.get("PULSAR_MEM").getValue());
        assertEquals("info", env.get("PULSAR_LOG_LEVEL").getValue());
    }

    @Test
    void secretRefsAreMounted() {
        PulsarBroker pb = broker();
        ServicePodPolicy pod = new ServicePodPolicy();
        SecretRef ref = new SecretRef();
        ref.setSecretName("token-key");
        ref.setMountPath("/pulsar/token");
        pod.setSecretRefs(List.of(ref));
        pb.getSpec().setPod(pod);
        StatefulSet sts = sts(pb);
        Volume v = sts.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(x -> x.getName().equals("secret-token-key")).findFirst().orElseThrow();
        assertEquals("token-key", v.getSecret().getSecretName());
        VolumeMount m = brokerContainer(sts).getVolumeMounts().stream()
                .filter(x -> x.getName().equals("secret-token-key")).findFirst().orElseThrow();
        assertEquals("/pulsar/token", m.getMountPath());
        assertTrue(m.getReadOnly());
    }

    @Test
    void clusterEndpoints() {
        PulsarBrokerStatus.Endpoint e = BrokerModel.clusterServiceUrls(broker());
        assertEquals("pulsar://pc-broker.pulsar.svc.cluster.local:6650", e.getPulsarServiceURL());
        assertEquals("http://pc-broker.pulsar.svc.cluster.local:8080", e.getWebServiceURL());
    }

    static com.fasterxml.jackson.databind.JsonNode node(Object value) {
        return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(value);
    }
}
