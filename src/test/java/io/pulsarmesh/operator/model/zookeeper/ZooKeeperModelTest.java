package io.pulsarmesh.operator.model.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperConfig;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperPersistence;
import io.pulsarmesh.operator.model.common.ConfigFile;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.common.SpecProblem;

class ZooKeeperModelTest {
    private static final ModelSettings SETTINGS = new ModelSettings("example/pulsar:1.0", 0L);

    static ZooKeeperCluster zk(String name) {
        ZooKeeperCluster zk = new ZooKeeperCluster();
        zk.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns1").withUid("uid-" + name).build());
        return zk;
    }

    static ZooKeeperConfig config(ZooKeeperCluster zk) {
        if (zk.getSpec().getConfig() == null) {
            zk.getSpec().setConfig(new ZooKeeperConfig());
        }
        return zk.getSpec().getConfig();
    }

    static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String name) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> name.equals(o.getMetadata().getName())).toList();
        assertEquals(1, found.size(), () -> "one " + type.getSimpleName() + " " + name + " in " + names(objects));
        return found.get(0);
    }

    static List<String> names(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    static Map<String, Integer> ports(Service svc) {
        return svc.getSpec().getPorts().stream().collect(Collectors.toMap(ServicePort::getName, ServicePort::getPort));
    }

    static Map<String, String> parse(String conf) {
        return conf.lines().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                        (a, b) -> b));
    }

    static PersistentVolumeClaimSpec claimSpec() {
        return new PersistentVolumeClaimSpecBuilder().withAccessModes("ReadWriteOnce").withNewResources()
                .withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().build();
    }

    @Test
    void desiredHasTheFiveObjectsWithTheirNames() {
        List<HasMetadata> objects = ZooKeeperModel.desired(zk("z1"), SETTINGS);
        assertEquals(List.of("ConfigMap/z1-zk", "Service/z1-zk-headless", "Service/z1-zk", "PodDisruptionBudget/z1-zk",
                "StatefulSet/z1-zk"), names(objects));
        objects.forEach(o -> assertEquals("ns1", o.getMetadata().getNamespace(), o.getMetadata().getName()));
    }

    @Test
    void everyObjectIsControlledByTheCustomResource() {
        ZooKeeperCluster zk = zk("z1");
        assertEquals("zookeeper.streamnative.io/v1alpha1", zk.getApiVersion());
        for (HasMetadata o : ZooKeeperModel.desired(zk, SETTINGS)) {
            List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
            assertEquals(1, refs.size());
            OwnerReference ref = refs.get(0);
            assertEquals(Boolean.TRUE, ref.getController());
            assertEquals("uid-z1", ref.getUid());
            assertEquals("z1", ref.getName());
            assertEquals("ZooKeeperCluster", ref.getKind());
            assertEquals("zookeeper.streamnative.io/v1alpha1", ref.getApiVersion());
        }
    }

    @Test
    void labelsCarryTheSelectorManagedByAndUserLabelsButUsersCannotOverrideTheSelector() {
        ZooKeeperCluster zk = zk("z1");
        zk.getSpec().setLabels(Map.of("team", "a", Labels.COMPONENT, "hijack", Labels.MANAGED_BY, "me"));
        for (HasMetadata o : ZooKeeperModel.desired(zk, SETTINGS)) {
            Map<String, String> labels = o.getMetadata().getLabels();
            assertEquals("a", labels.get("team"));
            assertEquals("zookeeper", labels.get(Labels.COMPONENT));
            assertEquals("z1", labels.get(Labels.CLUSTER));
            assertEquals("pulsar", labels.get(Labels.APP));
            assertEquals("pulsar-mesh-operator", labels.get(Labels.MANAGED_BY));
        }
        StatefulSet sts = ZooKeeperModel.statefulSet(zk, SETTINGS, "h");
        Map<String, String> selector = sts.getSpec().getSelector().getMatchLabels();
        assertEquals(Map.of(Labels.APP, "pulsar", Labels.CLUSTER, "z1", Labels.COMPONENT, "zookeeper"), selector);
        Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
        selector.forEach((k, v) -> assertEquals(v, podLabels.get(k), k));
    }

    @Test
    void servicesNamePortsAndHeadlessPublishesNotReadyAddresses() {
        ZooKeeperCluster zk = zk("z1");
        Service headless = ZooKeeperModel.headlessService(zk);
        assertEquals("None", headless.getSpec().getClusterIP());
        assertEquals(Boolean.TRUE, headless.getSpec().getPublishNotReadyAddresses());
        assertEquals(Map.of("tcp-client", 2181, "tcp-quorum", 2888, "tcp-election", 3888, "http-metrics", 8000,
                "http-admin", 9990), ports(headless));
        headless.getSpec().getPorts().forEach(p -> assertEquals(p.getPort(), p.getTargetPort().getIntVal()));

        Service client = ZooKeeperModel.clientService(zk);
        assertEquals("ClusterIP", client.getSpec().getType());
        assertNotEquals(Boolean.TRUE, client.getSpec().getPublishNotReadyAddresses());
        assertEquals(Map.of("tcp-client", 2181, "http-metrics", 8000, "http-admin", 9990), ports(client));
        assertEquals(ZooKeeperModel.selector(zk), client.getSpec().getSelector());
    }

    @Test
    void configListsEveryServerByItsStableNameAndListensOnAllIps() {
        ZooKeeperCluster zk = zk("z1");
        zk.getSpec().setReplicas(3);
        ConfigFile f = ZooKeeperModel.config(zk);
        assertEquals("z1-zk-0.z1-zk-headless.ns1.svc.cluster.local:2888:3888;2181", f.get("server.1"));
        assertEquals("z1-zk-2.z1-zk-headless.ns1.svc.cluster.local:2888:3888;2181", f.get("server.3"));
        assertNull(f.get("server.4"));
        assertNull(f.get("server.0"));
        assertEquals("true", f.get("quorumListenOnAllIPs"));
        assertEquals("false", f.get("standaloneEnabled"));

        Map<String, String> rendered = parse(ZooKeeperModel.configMap(zk).getData().get("zookeeper.conf"));
        assertEquals("true", rendered.get("quorumListenOnAllIPs"));
        assertTrue(rendered.containsKey("server.3"));
    }

    @Test
    void singleServerIsStandalone() {
        ZooKeeperCluster zk = zk("z1");
        zk.getSpec().setReplicas(1);
        ConfigFile f = ZooKeeperModel.config(zk);
        assertEquals("true", f.get("standaloneEnabled"));
        assertNull(f.get("server.2"));
    }

    @Test
    void customKeysArePassedWithTheirPrefixStripped() {
        ZooKeeperCluster zk = zk("z1");
        config(zk).setCustom(Map.of("PULSAR_PREFIX_forceSync", "no", "maxSessionTimeout", "60000"));
        ConfigFile f = ZooKeeperModel.config(zk);
        assertEquals("no", f.get("forceSync"));
        assertNull(f.get("PULSAR_PREFIX_forceSync"));
        assertEquals("60000", f.get("maxSessionTimeout"));
    }

    @Test
    void reservedKeysAreRefused() {
        ZooKeeperCluster zk = zk("z1");
        assertEquals(List.of(), ZooKeeperModel.validate(zk));
        config(zk).setCustom(Map.of("PULSAR_PREFIX_clientPort", "1234", "server.7", "x:1:2", "fine", "1"));
        zk.getSpec().setConf(Map.of("dataDir", "/tmp"));
        List<SpecProblem> problems = ZooKeeperModel.validate(zk);
        assertEquals(3, problems.size(), problems::toString);
        problems.forEach(p -> assertEquals(SpecProblem.RESERVED_CONFIG_KEY, p.reason()));
        List<String> fields = problems.stream().map(SpecProblem::field).toList();
        assertTrue(fields.contains("spec.config.custom.PULSAR_PREFIX_clientPort"), fields::toString);
        assertTrue(fields.contains("spec.config.custom.server.7"), fields::toString);
        assertTrue(fields.contains("spec.conf.dataDir"), fields::toString);
    }

    @Test
    void volumesAreRetainedByDefaultAndDeletedOnRequest() {
        ZooKeeperCluster zk = zk("z1");
        ZooKeeperPersistence p = new ZooKeeperPersistence();
        p.setData(claimSpec());
        zk.getSpec().setPersistence(p);
        StatefulSet sts = ZooKeeperModel.statefulSet(zk, SETTINGS, "h");
        assertEquals("Retain", sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted());
        assertEquals("Retain", sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled());
        assertEquals(List.of("data"), sts.getSpec().getVolumeClaimTemplates().stream()
                .map(c -> c.getMetadata().getName()).toList());
        assertFalse(volumeNames(sts).contains("data"));

        p.setReclaimPolicy("Delete");
        sts = ZooKeeperModel.statefulSet(zk, SETTINGS, "h");
        assertEquals("Delete", sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted());
        assertEquals("Retain", sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled());
    }

    @Test
    void withoutPersistenceDataIsAnEmptyDir() {
        StatefulSet sts = ZooKeeperModel.statefulSet(zk("z1"), SETTINGS, "h");
        assertEquals(List.of(), sts.getSpec().getVolumeClaimTemplates());
        Volume data = sts.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> "data".equals(v.getName())).findFirst().orElseThrow();
        assertTrue(data.getEmptyDir() != null, "data is an emptyDir");
    }

    @Test
    void dataLogVolumeMovesTheTransactionLog() {
        ZooKeeperCluster zk = zk("z1");
        assertEquals(ZooKeeperModel.DATA_DIR, ZooKeeperModel.config(zk).get("dataLogDir"));
        ZooKeeperPersistence p = new ZooKeeperPersistence();
        p.setData(claimSpec());
        p.setDataLog(claimSpec());
        zk.getSpec().setPersistence(p);
        assertEquals(ZooKeeperModel.DATA_LOG_DIR, ZooKeeperModel.config(zk).get("dataLogDir"));
        assertEquals(List.of("data", "datalog"), ZooKeeperModel.statefulSet(zk, SETTINGS, "h").getSpec()
                .getVolumeClaimTemplates().stream().map(c -> c.getMetadata().getName()).toList());
    }

    @Test
    void configHashFollowsTheConfigurationOnly() {
        ZooKeeperCluster zk = zk("z1");
        String before = hash(zk);
        zk.getSpec().setLabels(Map.of("team", "a"));
        assertEquals(before, hash(zk), "labels do not roll the pods");
        config(zk).setCustom(Map.of("maxSessionTimeout", "60000"));
        String after = hash(zk);
        assertNotEquals(before, after);
        assertEquals(after, hash(zk), "stable for the same spec");
    }

    @Test
    void imageDefaultsToTheOperatorSetting() {
        ZooKeeperCluster zk = zk("z1");
        StatefulSet sts = find(ZooKeeperModel.desired(zk, SETTINGS), StatefulSet.class, "z1-zk");
        assertEquals("example/pulsar:1.0", sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        zk.getSpec().setImage("mine/pulsar:2");
        sts = find(ZooKeeperModel.desired(zk, SETTINGS), StatefulSet.class, "z1-zk");
        assertEquals("mine/pulsar:2", sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    @Test
    void statefulSetUsesTheHeadlessServiceAndAPdbAllowsOneDown() {
        ZooKeeperCluster zk = zk("z1");
        List<HasMetadata> objects = ZooKeeperModel.desired(zk, SETTINGS);
        StatefulSet sts = find(objects, StatefulSet.class, "z1-zk");
        assertEquals("z1-zk-headless", sts.getSpec().getServiceName());
        assertEquals(3, sts.getSpec().getReplicas());
        assertEquals("Parallel", sts.getSpec().getPodManagementPolicy());
        // The operator restarts the servers itself, followers first and the leader last.
        assertEquals("OnDelete", sts.getSpec().getUpdateStrategy().getType());
        PodDisruptionBudget pdb = find(objects, PodDisruptionBudget.class, "z1-zk");
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
        assertEquals(ZooKeeperModel.selector(zk), pdb.getSpec().getSelector().getMatchLabels());
    }

    static String hash(ZooKeeperCluster zk) {
        StatefulSet sts = find(ZooKeeperModel.desired(zk, SETTINGS), StatefulSet.class, "z1-zk");
        return sts.getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION);
    }

    static List<String> volumeNames(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec().getVolumes().stream().map(Volume::getName).toList();
    }
}
