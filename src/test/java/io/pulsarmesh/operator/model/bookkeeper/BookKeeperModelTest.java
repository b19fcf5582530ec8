package io.pulsarmesh.operator.model.bookkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.AutoRecovery;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperConfig;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperStorage;
import io.pulsarmesh.operator.api.common.v1alpha1.PodPolicy;
import io.pulsarmesh.operator.model.common.ConfigFile;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.common.SpecProblem;

class BookKeeperModelTest {
    private static final ModelSettings SETTINGS = new ModelSettings("example/pulsar:1.0", 0L);

    /** A valid cluster: name, namespace, uid and a ZooKeeper metadata store. */
    static BookKeeperCluster bk(String name) {
        BookKeeperCluster bk = new BookKeeperCluster();
        bk.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns1").withUid("uid-" + name).build());
        bk.getSpec().setZkServers("z1-zk:2181");
        return bk;
    }

    static BookKeeperConfig config(BookKeeperCluster bk) {
        if (bk.getSpec().getConfig() == null) {
            bk.getSpec().setConfig(new BookKeeperConfig());
        }
        return bk.getSpec().getConfig();
    }

    static AutoRecovery autoRecovery(BookKeeperCluster bk) {
        if (bk.getSpec().getAutoRecovery() == null) {
            bk.getSpec().setAutoRecovery(new AutoRecovery());
        }
        return bk.getSpec().getAutoRecovery();
    }

    static BookKeeperStorage storage(BookKeeperCluster bk) {
        if (bk.getSpec().getStorage() == null) {
            bk.getSpec().setStorage(new BookKeeperStorage());
        }
        return bk.getSpec().getStorage();
    }

    static BookKeeperStorage.Volumes volumes(Integer numVolumes, Integer numDirs, PersistentVolumeClaimSpec claim) {
        BookKeeperStorage.Volumes v = new BookKeeperStorage.Volumes();
        v.setNumVolumes(numVolumes);
        v.setNumDirsPerVolume(numDirs);
        v.setVolumeClaimTemplate(claim);
        return v;
    }

    static PersistentVolumeClaimSpec claimSpec() {
        return new PersistentVolumeClaimSpecBuilder().withAccessModes("ReadWriteOnce").withNewResources()
                .withRequests(Map.of("storage", new Quantity("10Gi"))).endResources().build();
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

    /** key=value lines of a rendered file; a later line wins, as in the merged file. */
    static Map<String, String> parse(String conf) {
        return conf.lines().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                        (a, b) -> b));
    }

    static StatefulSet bookies(BookKeeperCluster bk) {
        return find(BookKeeperModel.desired(bk, SETTINGS), StatefulSet.class, "b1-bookie");
    }

    static String bookieHash(BookKeeperCluster bk) {
        return bookies(bk).getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION);
    }

    static String recoveryHash(BookKeeperCluster bk) {
        StatefulSet sts = find(BookKeeperModel.desired(bk, SETTINGS), StatefulSet.class, "b1-bookie-recovery");
        return sts.getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION);
    }

    static List<String> fields(List<SpecProblem> problems) {
        return problems.stream().map(SpecProblem::field).toList();
    }

    // --- objects, names, ownership, labels

    @Test
    void desiredHasBookieObjectsThenAutoRecoveryObjects() {
        List<HasMetadata> objects = BookKeeperModel.desired(bk("b1"), SETTINGS);
        assertEquals(List.of("ConfigMap/b1-bookie", "Service/b1-bookie-headless", "Service/b1-bookie",
                "PodDisruptionBudget/b1-bookie", "StatefulSet/b1-bookie", "ConfigMap/b1-bookie-recovery",
                "StatefulSet/b1-bookie-recovery"), names(objects));
        objects.forEach(o -> assertEquals("ns1", o.getMetadata().getNamespace(), o.getMetadata().getName()));
    }

    @Test
    void everyObjectIsControlledByTheCustomResource() {
        BookKeeperCluster bk = bk("b1");
        assertEquals("bookkeeper.streamnative.io/v1alpha1", bk.getApiVersion());
        for (HasMetadata o : BookKeeperModel.desired(bk, SETTINGS)) {
            List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
            assertEquals(1, refs.size(), o.getMetadata().getName());
            OwnerReference ref = refs.get(0);
            assertEquals(Boolean.TRUE, ref.getController());
            assertEquals(Boolean.TRUE, ref.getBlockOwnerDeletion());
            assertEquals("uid-b1", ref.getUid());
            assertEquals("b1", ref.getName());
            assertEquals("BookKeeperCluster", ref.getKind());
            assertEquals("bookkeeper.streamnative.io/v1alpha1", ref.getApiVersion());
        }
    }

    @Test
    void labelsCarrySelectorManagedByAndUserLabels() {
        BookKeeperCluster bk = bk("b1");
        bk.getSpec().setLabels(Map.of("team", "a", Labels.COMPONENT, "hijack"));
        for (HasMetadata o : BookKeeperModel.desired(bk, SETTINGS)) {
            Map<String, String> labels = o.getMetadata().getLabels();
            String component = o.getMetadata().getName().endsWith("-recovery") ? Labels.AUTO_RECOVERY : Labels.BOOKIE;
            assertEquals("a", labels.get("team"), o.getMetadata().getName());
            assertEquals(component, labels.get(Labels.COMPONENT), o.getMetadata().getName());
            assertEquals("b1", labels.get(Labels.CLUSTER));
            assertEquals("pulsar", labels.get(Labels.APP));
            assertEquals("pulsar-mesh-operator", labels.get(Labels.MANAGED_BY));
        }
    }

    @Test
    void bookiesAndWorkersHaveDistinctSelectors() {
        BookKeeperCluster bk = bk("b1");
        List<HasMetadata> objects = BookKeeperModel.desired(bk, SETTINGS);
        StatefulSet bookies = find(objects, StatefulSet.class, "b1-bookie");
        StatefulSet workers = find(objects, StatefulSet.class, "b1-bookie-recovery");
        assertEquals(Map.of(Labels.APP, "pulsar", Labels.CLUSTER, "b1", Labels.COMPONENT, "bookie"),
                bookies.getSpec().getSelector().getMatchLabels());
        assertEquals(Map.of(Labels.APP, "pulsar", Labels.CLUSTER, "b1", Labels.COMPONENT, "bookkeeper-auto-recovery"),
                workers.getSpec().getSelector().getMatchLabels());
        for (StatefulSet sts : List.of(bookies, workers)) {
            Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
            sts.getSpec().getSelector().getMatchLabels().forEach((k, v) -> assertEquals(v, podLabels.get(k), k));
        }
        // The headless Service selects bookies only, not the workers.
        Service headless = find(objects, Service.class, "b1-bookie-headless");
        assertEquals(bookies.getSpec().getSelector().getMatchLabels(), headless.getSpec().getSelector());
    }

    // --- Services, PDB, StatefulSet

    @Test
    void servicesNamePortsAndHeadlessPublishesNotReadyAddresses() {
        BookKeeperCluster bk = bk("b1");
        Service headless = BookKeeperModel.headlessService(bk);
        assertEquals("b1-bookie-headless", headless.getMetadata().getName());
        assertEquals("None", headless.getSpec().getClusterIP());
        assertEquals(Boolean.TRUE, headless.getSpec().getPublishNotReadyAddresses());
        assertEquals(Map.of("tcp-bookie", 3181, "http-metrics", 8000), ports(headless));
        headless.getSpec().getPorts().forEach(p -> assertEquals(p.getPort(), p.getTargetPort().getIntVal()));

        Service client = BookKeeperModel.clientService(bk);
        assertEquals("b1-bookie", client.getMetadata().getName());
        assertEquals("ClusterIP", client.getSpec().getType());
        assertNull(client.getSpec().getClusterIP());
        assertEquals(Map.of("tcp-bookie", 3181, "http-metrics", 8000), ports(client));
        assertEquals(List.of("tcp", "http"),
                client.getSpec().getPorts().stream().map(ServicePort::getAppProtocol).toList());
    }

    @Test
    void pdbAllowsOneBookieDown() {
        BookKeeperCluster bk = bk("b1");
        PodDisruptionBudget pdb = find(BookKeeperModel.desired(bk, SETTINGS), PodDisruptionBudget.class, "b1-bookie");
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
        assertEquals(BookKeeperModel.selector(bk), pdb.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void bookieStatefulSetShape() {
        BookKeeperCluster bk = bk("b1");
        StatefulSet sts = bookies(bk);
        assertEquals("b1-bookie-headless", sts.getSpec().getServiceName());
        assertEquals("Parallel", sts.getSpec().getPodManagementPolicy());
        assertEquals("OnDelete", sts.getSpec().getUpdateStrategy().getType());
        assertEquals(3, sts.getSpec().getReplicas());
        assertEquals("UseHostNameAsBookieID",
                sts.getMetadata().getAnnotations().get(Labels.BOOKIE_ID_POLICY_ANNOTATION));

        Container c = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("bookie", c.getName());
        assertEquals(List.of("bash", "/pulsar/operator/start.sh"), c.getCommand());
        assertEquals(Map.of("tcp-bookie", 3181, "http-metrics", 8000), c.getPorts().stream()
                .collect(Collectors.toMap(p -> p.getName(), p -> p.getContainerPort())));
        assertEquals("/api/v1/bookie/is_ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(8000, c.getReadinessProbe().getHttpGet().getPort().getIntVal());
        assertEquals("/api/v1/bookie/state", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals(30, c.getLivenessProbe().getInitialDelaySeconds());
        assertEquals(6, c.getLivenessProbe().getFailureThreshold());
        assertEquals("/api/v1/bookie/is_ready", c.getStartupProbe().getHttpGet().getPath());
        assertEquals(60, c.getStartupProbe().getFailureThreshold());
        assertEquals(10, c.getStartupProbe().getPeriodSeconds());
        assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals("-XX:InitialRAMPercentage=25 -XX:MaxRAMPercentage=25", c.getEnv().stream()
                .filter(e -> "PULSAR_MEM".equals(e.getName())).findFirst().orElseThrow().getValue());
        assertTrue(c.getEnv().stream().anyMatch(e -> "POD_NAME".equals(e.getName())));
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> "/pulsar/operator".equals(m.getMountPath())));
        // The pod mounts the bookie ConfigMap.
        assertTrue(sts.getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getConfigMap() != null && "b1-bookie".equals(v.getConfigMap().getName())));
    }

    @Test
    void replicasAndResourcesFollowTheSpec() {
        BookKeeperCluster bk = bk("b1");
        bk.getSpec().setReplicas(5);
        PodPolicy pod = new PodPolicy();
        pod.setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .withRequests(Map.of("memory", new Quantity("2Gi"))).build());
        bk.getSpec().setPod(pod);
        StatefulSet sts = bookies(bk);
        assertEquals(5, sts.getSpec().getReplicas());
        assertEquals(new Quantity("2Gi"), sts.getSpec().getTemplate().getSpec().getContainers().get(0).getResources()
                .getRequests().get("memory"));
    }

    @Test
    void imageDefaultsToTheOperatorSetting() {
        BookKeeperCluster bk = bk("b1");
        List<HasMetadata> objects = BookKeeperModel.desired(bk, SETTINGS);
        assertEquals("example/pulsar:1.0", image(find(objects, StatefulSet.class, "b1-bookie")));
        assertEquals("example/pulsar:1.0", image(find(objects, StatefulSet.class, "b1-bookie-recovery")));

        bk.getSpec().setImage("mine/pulsar:2");
        objects = BookKeeperModel.desired(bk, SETTINGS);
        assertEquals("mine/pulsar:2", image(find(objects, StatefulSet.class, "b1-bookie")));
        assertEquals("mine/pulsar:2", image(find(objects, StatefulSet.class, "b1-bookie-recovery")),
                "workers default to the bookies' image");

        autoRecovery(bk).setImage("mine/recovery:3");
        objects = BookKeeperModel.desired(bk, SETTINGS);
        assertEquals("mine/pulsar:2", image(find(objects, StatefulSet.class, "b1-bookie")));
        assertEquals("mine/recovery:3", image(find(objects, StatefulSet.class, "b1-bookie-recovery")));
    }

    static String image(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    // --- bookkeeper.conf

    @Test
    void metadataServiceUriIsDerivedFromZkServersWithSemicolons() {
        BookKeeperCluster bk = bk("b1");
        bk.getSpec().setZkServers("zk-0:2181,zk-1:2181,zk-2:2181");
        assertEquals("zk+hierarchical://zk-0:2181;zk-1:2181;zk-2:2181/ledgers",
                BookKeeperModel.config(bk).get("metadataServiceUri"));
        assertNull(BookKeeperModel.config(bk).get("zkServers"));
    }

    @Test
    void explicitMetadataServiceUriWins() {
        BookKeeperCluster bk = bk("b1");
        bk.getSpec().setMetadataServiceUri("metadata-store:oxia://oxia:6648/bk");
        assertEquals("metadata-store:oxia://oxia:6648/bk", BookKeeperModel.config(bk).get("metadataServiceUri"));
    }

    @Test
    void operatorKeys() {
        BookKeeperCluster bk = bk("b1");
        Map<String, String> conf = parse(BookKeeperModel.configMap(bk).getData().get("bookkeeper.conf"));
        assertEquals("3181", conf.get("bookiePort"));
        assertEquals("true", conf.get("httpServerEnabled"));
        assertEquals("8000", conf.get("httpServerPort"));
        assertEquals("8000", conf.get("prometheusStatsHttpPort"));
        assertEquals("org.apache.bookkeeper.stats.prometheus.PrometheusMetricsProvider",
                conf.get("statsProviderClass"));
        assertEquals("true", conf.get("useHostNameAsBookieID"));
        assertEquals("false", conf.get("autoRecoveryDaemonEnabled"));
        assertEquals("/pulsar/data/bookkeeper/journal-0/dir-0", conf.get("journalDirectories"));
        assertEquals("/pulsar/data/bookkeeper/ledger-0/dir-0", conf.get("ledgerDirectories"));
        assertFalse(conf.containsKey("gcWaitTime"), "unset typed fields are left to the image");
        assertFalse(conf.containsKey("bookieId"));
    }

    @Test
    void typedFieldsAreRenderedWhenSet() {
        BookKeeperCluster bk = bk("b1");
        BookKeeperConfig c = config(bk);
        c.setGcWaitTime(900000L);
        c.setCompactionRateByBytes(1000L);
        c.setIsThrottleByBytes(true);
        c.setJournalFormatVersionToWrite(6);
        c.setFileInfoFormatVersionToWrite(1);
        c.setJournalMaxBackups(2);
        c.setPersistBookieStatusEnabled(true);
        c.setUseTransactionalCompaction(false);
        ConfigFile f = BookKeeperModel.config(bk);
        assertEquals("900000", f.get("gcWaitTime"));
        assertEquals("1000", f.get("compactionRateByBytes"));
        assertEquals("true", f.get("isThrottleByBytes"));
        assertEquals("6", f.get("journalFormatVersionToWrite"));
        assertEquals("1", f.get("fileInfoFormatVersionToWrite"));
        assertEquals("2", f.get("journalMaxBackups"));
        assertEquals("true", f.get("persistBookieStatusEnabled"));
        assertEquals("false", f.get("useTransactionalCompaction"));
    }

    @Test
    void directoriesSpanVolumesAndDirsPerVolume() {
        BookKeeperCluster bk = bk("b1");
        storage(bk).setJournal(volumes(2, 2, claimSpec()));
        storage(bk).setLedger(volumes(2, 2, claimSpec()));
        ConfigFile f = BookKeeperModel.config(bk);
        assertEquals("/pulsar/data/bookkeeper/journal-0/dir-0,/pulsar/data/bookkeeper/journal-0/dir-1,"
                + "/pulsar/data/bookkeeper/journal-1/dir-0,/pulsar/data/bookkeeper/journal-1/dir-1",
                f.get("journalDirectories"));
        assertEquals("/pulsar/data/bookkeeper/ledger-0/dir-0,/pulsar/data/bookkeeper/ledger-0/dir-1,"
                + "/pulsar/data/bookkeeper/ledger-1/dir-0,/pulsar/data/bookkeeper/ledger-1/dir-1",
                f.get("ledgerDirectories"));

        StatefulSet sts = bookies(bk);
        assertEquals(List.of("journal-0", "journal-1", "ledger-0", "ledger-1"), sts.getSpec()
                .getVolumeClaimTemplates().stream().map(c -> c.getMetadata().getName()).toList());
        Map<String, String> mounts = sts.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts()
                .stream().collect(Collectors.toMap(VolumeMount::getName, VolumeMount::getMountPath));
        assertEquals("/pulsar/data/bookkeeper/journal-1", mounts.get("journal-1"));
        assertEquals("/pulsar/data/bookkeeper/ledger-0", mounts.get("ledger-0"));
        String script = BookKeeperModel.configMap(bk).getData().get("start.sh");
        assertTrue(script.contains("/pulsar/data/bookkeeper/ledger-1/dir-1"), script);
    }

    @Test
    void confThenCustomArePassedWithPrefixStrippedAndCustomWins() {
        BookKeeperCluster bk = bk("b1");
        bk.getSpec().setConf(Map.of("PULSAR_PREFIX_dbStorage_writeCacheMaxSizeMb", "64", "nettyMaxFrameSizeBytes",
                "1"));
        config(bk).setCustom(Map.of("nettyMaxFrameSizeBytes", "2", "PULSAR_PREFIX_gcWaitTime", "5"));
        config(bk).setGcWaitTime(7L);
        ConfigFile f = BookKeeperModel.config(bk);
        assertEquals("64", f.get("dbStorage_writeCacheMaxSizeMb"));
        assertNull(f.get("PULSAR_PREFIX_dbStorage_writeCacheMaxSizeMb"));
        assertEquals("2", f.get("nettyMaxFrameSizeBytes"), "config.custom comes after conf");
        assertEquals("5", f.get("gcWaitTime"), "config.custom comes after typed fields");
    }

    // --- validation

    @Test
    void aValidSpecHasNoProblems() {
        assertEquals(List.of(), BookKeeperModel.validate(bk("b1")));
        assertEquals(List.of(), BookKeeperModel.validate(bk("b1"), "UseHostNameAsBookieID"));
    }

    @Test
    void reservedKeysAreRefusedInEveryMap() {
        BookKeeperCluster bk = bk("b1");
        config(bk).setCustom(Map.of("PULSAR_PREFIX_bookiePort", "1", "fine", "x"));
        bk.getSpec().setConf(Map.of("journalDirectories", "/tmp", "zkServers", "other:2181"));
        autoRecovery(bk).setConf(Map.of("autoRecoveryDaemonEnabled", "true", "auditorMaxNumberOfConcurrentOpenLedgerOperations", "10"));
        List<SpecProblem> problems = BookKeeperModel.validate(bk);
        assertEquals(4, problems.size(), problems::toString);
        problems.forEach(p -> assertEquals(SpecProblem.RESERVED_CONFIG_KEY, p.reason()));
        List<String> fields = fields(problems);
        assertTrue(fields.contains("spec.config.custom.PULSAR_PREFIX_bookiePort"), fields::toString);
        assertTrue(fields.contains("spec.conf.journalDirectories"), fields::toString);
        assertTrue(fields.contains("spec.conf.zkServers"), fields::toString);
        assertTrue(fields.contains("spec.autoRecovery.conf.autoRecoveryDaemonEnabled"), fields::toString);
    }

    @Test
    void everyOwnedKeyIsRefused() {
        for (String key : List.of("bookiePort", "journalDirectories", "journalDirectory", "ledgerDirectories",
                "indexDirectories", "metadataServiceUri", "zkServers", "zkLedgersRootPath", "httpServerEnabled",
                "httpServerPort", "prometheusStatsHttpPort", "useHostNameAsBookieID", "bookieId", "advertisedAddress",
                "autoRecoveryDaemonEnabled")) {
            BookKeeperCluster bk = bk("b1");
            config(bk).setCustom(Map.of(key, "x"));
            assertEquals(List.of("spec.config.custom." + key), fields(BookKeeperModel.validate(bk)), key);
        }
    }

    @Test
    void missingMetadataStoreIsAProblem() {
        BookKeeperCluster bk = bk("b1");
        bk.getSpec().setZkServers(null);
        List<SpecProblem> problems = BookKeeperModel.validate(bk);
        assertEquals(1, problems.size(), problems::toString);
        assertEquals(SpecProblem.MISSING_METADATA_STORE, problems.get(0).reason());
        assertEquals("spec.zkServers", problems.get(0).field());

        bk.getSpec().setZkServers("  ");
        assertEquals(1, BookKeeperModel.validate(bk).size(), "blank counts as missing");

        bk.getSpec().setMetadataServiceUri("zk+hierarchical://zk:2181/ledgers");
        assertEquals(List.of(), BookKeeperModel.validate(bk));
    }

    @Test
    void changingTheBookieIdPolicyOfARunningClusterIsRefused() {
        BookKeeperCluster bk = bk("b1");
        config(bk).setBookieIDPolicy("HostNamePort");
        assertEquals(List.of(), BookKeeperModel.validate(bk, null), "a new cluster may pick any policy");
        assertEquals(List.of(), BookKeeperModel.validate(bk, "HostNamePort"));

        List<SpecProblem> problems = BookKeeperModel.validate(bk, "UseHostNameAsBookieID");
        assertEquals(1, problems.size(), problems::toString);
        SpecProblem p = problems.get(0);
        assertEquals(SpecProblem.BOOKIE_ID_POLICY_CHANGED, p.reason());
        assertEquals("spec.config.bookieIDPolicy", p.field());
        assertTrue(p.message().contains("invalidates its cookies"), p.message());
        assertTrue(p.message().endsWith("restore spec.config.bookieIDPolicy to UseHostNameAsBookieID"), p.message());
    }

    @Test
    void emptyPolicyMeansUseHostName() {
        BookKeeperCluster bk = bk("b1");
        assertEquals(List.of(), BookKeeperModel.validate(bk, "UseHostNameAsBookieID"));
        config(bk).setBookieIDPolicy("");
        assertEquals(List.of(), BookKeeperModel.validate(bk, "UseHostNameAsBookieID"));
        assertEquals("UseHostNameAsBookieID",
                bookies(bk).getMetadata().getAnnotations().get(Labels.BOOKIE_ID_POLICY_ANNOTATION));
        assertEquals(List.of(SpecProblem.BOOKIE_ID_POLICY_CHANGED),
                BookKeeperModel.validate(bk, "HostNamePort").stream().map(SpecProblem::reason).toList());
    }

    @Test
    void hostNamePortPolicySetsAnExplicitBookieId() {
        BookKeeperCluster bk = bk("b1");
        config(bk).setBookieIDPolicy("HostNamePort");
        ConfigMap cm = BookKeeperModel.configMap(bk);
        assertEquals("false", parse(cm.getData().get("bookkeeper.conf")).get("useHostNameAsBookieID"));
        String script = cm.getData().get("start.sh");
        assertTrue(script.contains("host=\"$(hostname -f)\""), script);
        assertTrue(script.contains("bookieId=$host:3181"), script);
        assertTrue(script.indexOf("bookieId=") < script.indexOf("merge_config \"$conf\""), "merged with the overrides");
        assertEquals("HostNamePort", bookies(bk).getMetadata().getAnnotations().get(Labels.BOOKIE_ID_POLICY_ANNOTATION));

        String defaultScript = BookKeeperModel.configMap(bk("b1")).getData().get("start.sh");
        assertFalse(defaultScript.contains("bookieId="), defaultScript);
    }

    // --- start script

    @Test
    void startScriptInitializesMetadataUnlessInitialized() {
        BookKeeperCluster bk = bk("b1");
        String script = BookKeeperModel.configMap(bk).getData().get("start.sh");
        assertTrue(script.startsWith("#!/bin/bash"), script);
        assertTrue(script.contains("merge_config \"$conf\" /pulsar/operator/bookkeeper.conf"), script);
        assertTrue(script.contains("until bin/bookkeeper shell whatisinstanceid"), script);
        assertTrue(script.contains("bin/bookkeeper shell initnewcluster"), script);
        assertTrue(script.contains("export BOOKIE_CONF=\"$conf\" PULSAR_BOOKKEEPER_CONF=\"$conf\""), script);
        assertTrue(script.strip().endsWith("exec bin/pulsar bookie"), script);
        assertTrue(script.indexOf("merge_config \"$conf\"") < script.indexOf("whatisinstanceid"),
                "the shell needs the merged configuration");

        bk.getSpec().setInitialized(true);
        String initialized = BookKeeperModel.configMap(bk).getData().get("start.sh");
        assertFalse(initialized.contains("initnewcluster"), initialized);
        assertTrue(initialized.strip().endsWith("exec bin/pulsar bookie"), initialized);
    }

    // --- auto-recovery

    @Test
    void autoRecoveryIsOnByDefaultWithOneWorker() {
        BookKeeperCluster bk = bk("b1");
        StatefulSet workers = find(BookKeeperModel.desired(bk, SETTINGS), StatefulSet.class, "b1-bookie-recovery");
        assertEquals(1, workers.getSpec().getReplicas());
        autoRecovery(bk);
        workers = find(BookKeeperModel.desired(bk, SETTINGS), StatefulSet.class, "b1-bookie-recovery");
        assertEquals(1, workers.getSpec().getReplicas(), "replicas unset means 1");
        autoRecovery(bk).setReplicas(2);
        workers = find(BookKeeperModel.desired(bk, SETTINGS), StatefulSet.class, "b1-bookie-recovery");
        assertEquals(2, workers.getSpec().getReplicas());
    }

    @Test
    void zeroOrNegativeReplicasDisableAutoRecovery() {
        for (int replicas : new int[] { 0, -1 }) {
            BookKeeperCluster bk = bk("b1");
            autoRecovery(bk).setReplicas(replicas);
            List<HasMetadata> objects = BookKeeperModel.desired(bk, SETTINGS);
            assertEquals(List.of("ConfigMap/b1-bookie", "Service/b1-bookie-headless", "Service/b1-bookie",
                    "PodDisruptionBudget/b1-bookie", "StatefulSet/b1-bookie"), names(objects));
        }
    }

    @Test
    void autoRecoveryWorkerShape() {
        BookKeeperCluster bk = bk("b1");
        PodPolicy pod = new PodPolicy();
        pod.setLabels(Map.of("worker", "yes"));
        autoRecovery(bk).setPod(pod);
        List<HasMetadata> objects = BookKeeperModel.desired(bk, SETTINGS);
        StatefulSet sts = find(objects, StatefulSet.class, "b1-bookie-recovery");
        assertEquals("b1-bookie-headless", sts.getSpec().getServiceName());
        // Stateless workers: the StatefulSet controller rolls them.
        assertEquals("RollingUpdate", sts.getSpec().getUpdateStrategy().getType());
        assertEquals(List.of(), sts.getSpec().getVolumeClaimTemplates());
        assertEquals("yes", sts.getSpec().getTemplate().getMetadata().getLabels().get("worker"));
        assertNull(bookies(bk).getSpec().getTemplate().getMetadata().getLabels().get("worker"),
                "the workers' pod policy is theirs only");
        Container c = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(List.of("bash", "/pulsar/operator/start.sh"), c.getCommand());
        assertEquals(8000, c.getReadinessProbe().getTcpSocket().getPort().getIntVal());
        assertTrue(sts.getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getConfigMap() != null && "b1-bookie-recovery".equals(v.getConfigMap().getName())));

        ConfigMap cm = find(objects, ConfigMap.class, "b1-bookie-recovery");
        String script = cm.getData().get("start.sh");
        assertTrue(script.contains("merge_config \"$conf\" /pulsar/operator/bookkeeper.conf"), script);
        assertTrue(script.strip().endsWith("exec bin/bookkeeper autorecovery"), script);
        assertFalse(script.contains("initnewcluster"), script);
    }

    @Test
    void autoRecoveryConfigAddsAuditorSettingsAndItsConf() {
        BookKeeperCluster bk = bk("b1");
        config(bk).setCustom(Map.of("shared", "bookies"));
        AutoRecovery ar = autoRecovery(bk);
        ar.setBookieCheckTaskInterval(60L);
        ar.setAllLedgerCheckTaskInterval(3600L);
        ar.setLostCheckDelayTime(120L);
        ar.setConf(Map.of("shared", "workers", "PULSAR_PREFIX_rereplicationEntryBatchSize", "50"));
        Map<String, String> conf = parse(BookKeeperModel.autoRecoveryConfigMap(bk).getData().get("bookkeeper.conf"));
        assertEquals("60", conf.get("auditorPeriodicBookieCheckInterval"));
        assertEquals("3600", conf.get("auditorPeriodicCheckInterval"));
        assertEquals("120", conf.get("lostBookieRecoveryDelay"));
        assertEquals("workers", conf.get("shared"), "autoRecovery.conf comes last");
        assertEquals("50", conf.get("rereplicationEntryBatchSize"));
        assertEquals("zk+hierarchical://z1-zk:2181/ledgers", conf.get("metadataServiceUri"));

        Map<String, String> bookieConf = parse(BookKeeperModel.configMap(bk).getData().get("bookkeeper.conf"));
        assertEquals("bookies", bookieConf.get("shared"));
        assertFalse(bookieConf.containsKey("lostBookieRecoveryDelay"));
    }

    // --- volumes

    @Test
    void volumesAreRetainedByDefaultAndDeletedOnRequest() {
        BookKeeperCluster bk = bk("b1");
        storage(bk).setJournal(volumes(1, 1, claimSpec()));
        storage(bk).setLedger(volumes(1, 1, claimSpec()));
        StatefulSet sts = bookies(bk);
        assertEquals("Retain", sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted());
        assertEquals("Retain", sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled());

        storage(bk).setReclaimPolicy("Retain");
        assertEquals("Retain", bookies(bk).getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted());

        storage(bk).setReclaimPolicy("Delete");
        sts = bookies(bk);
        assertEquals("Delete", sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted());
        assertEquals("Retain", sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled());
    }

    @Test
    void claimsCarryTheSelectorAndTheUsersMetadata() {
        BookKeeperCluster bk = bk("b1");
        BookKeeperStorage.Volumes journal = volumes(1, 1, claimSpec());
        BookKeeperStorage.ClaimMetadata meta = new BookKeeperStorage.ClaimMetadata();
        meta.setLabels(Map.of("tier", "fast", Labels.COMPONENT, "hijack"));
        meta.setAnnotations(Map.of("backup", "daily"));
        journal.setMetadata(meta);
        storage(bk).setJournal(journal);
        storage(bk).setLedger(volumes(1, 1, claimSpec()));
        List<PersistentVolumeClaim> claims = bookies(bk).getSpec().getVolumeClaimTemplates();
        PersistentVolumeClaim j = claims.get(0);
        assertEquals("journal-0", j.getMetadata().getName());
        Map<String, String> expected = new java.util.HashMap<>(BookKeeperModel.selector(bk));
        expected.put("tier", "fast");
        assertEquals(expected, j.getMetadata().getLabels());
        assertEquals(Map.of("backup", "daily"), j.getMetadata().getAnnotations());
        assertEquals(new Quantity("10Gi"), j.getSpec().getResources().getRequests().get("storage"));
        PersistentVolumeClaim l = claims.get(1);
        assertEquals("ledger-0", l.getMetadata().getName());
        assertEquals(BookKeeperModel.selector(bk), l.getMetadata().getLabels());
    }

    @Test
    void withoutAClaimTemplateAVolumeIsAnEmptyDir() {
        BookKeeperCluster bk = bk("b1");
        storage(bk).setJournal(volumes(1, 1, claimSpec()));
        storage(bk).setLedger(volumes(2, 1, null));
        StatefulSet sts = bookies(bk);
        assertEquals(List.of("journal-0"), sts.getSpec().getVolumeClaimTemplates().stream()
                .map(c -> c.getMetadata().getName()).toList());
        Map<String, Volume> volumes = sts.getSpec().getTemplate().getSpec().getVolumes().stream()
                .collect(Collectors.toMap(Volume::getName, v -> v));
        assertNotNull(volumes.get("ledger-0").getEmptyDir());
        assertNotNull(volumes.get("ledger-1").getEmptyDir());
        assertFalse(volumes.containsKey("journal-0"), "a claimed volume is not also a pod volume");

        StatefulSet bare = bookies(bk("b1"));
        assertEquals(List.of(), bare.getSpec().getVolumeClaimTemplates());
        List<String> emptyDirs = bare.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getEmptyDir() != null).map(Volume::getName).toList();
        assertEquals(List.of("journal-0", "ledger-0"), emptyDirs);
    }

    // --- config hash

    @Test
    void configHashChangesWithTheConfigurationOnly() {
        BookKeeperCluster bk = bk("b1");
        String bookies = bookieHash(bk);
        String workers = recoveryHash(bk);
        assertNotNull(bookies);

        bk.getSpec().setLabels(Map.of("team", "a"));
        bk.getSpec().setReplicas(7);
        assertEquals(bookies, bookieHash(bk), "labels and replicas do not roll the pods");
        assertEquals(workers, recoveryHash(bk));

        config(bk).setCustom(Map.of("nettyMaxFrameSizeBytes", "2"));
        String changed = bookieHash(bk);
        assertNotEquals(bookies, changed);
        assertEquals(changed, bookieHash(bk), "stable for the same spec");
        assertNotEquals(workers, recoveryHash(bk), "the workers share the bookies' keys");

        String workersBefore = recoveryHash(bk);
        autoRecovery(bk).setLostCheckDelayTime(30L);
        assertEquals(changed, bookieHash(bk), "worker settings do not roll the bookies");
        assertNotEquals(workersBefore, recoveryHash(bk));
    }

    // --- not acted on

    @Test
    void notActedOnListsAcceptedButIgnoredFields() {
        BookKeeperCluster bk = bk("b1");
        assertEquals(List.of(), BookKeeperModel.notActedOn(bk));
        config(bk).setStreamStorage(node(Map.of("enabled", true)));
        config(bk).setRackAwareTopologyLabels(List.of("topology.kubernetes.io/zone"));
        autoRecovery(bk).setAutoScalingPolicy(node(Map.of("maxReplicas", 3)));
        autoRecovery(bk).setDecommissionDelayTime(10L);
        List<String> fields = BookKeeperModel.notActedOn(bk);
        assertTrue(fields.contains("spec.config.streamStorage"), fields::toString);
        assertTrue(fields.contains("spec.config.rackAwareTopologyLabels"), fields::toString);
        assertTrue(fields.contains("spec.autoRecovery.autoScalingPolicy"), fields::toString);
        assertTrue(fields.contains("spec.autoRecovery.decommissionDelayTime"), fields::toString);
        assertEquals(4, fields.size(), fields::toString);

        config(bk).setRackAwareTopologyLabels(List.of());
        assertFalse(BookKeeperModel.notActedOn(bk).contains("spec.config.rackAwareTopologyLabels"));
    }

    static com.fasterxml.jackson.databind.JsonNode node(Object value) {
        return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(value);
    }

    @Test
    void scalingDownRemovesOnlyDecommissionedBookies() {
        BookKeeperCluster bk = bk("b1");
        bk.getSpec().setReplicas(3);
        assertEquals(java.util.Optional.empty(), BookKeeperModel.scaleDown(bk, null), "a new cluster");
        assertEquals(java.util.Optional.empty(), BookKeeperModel.scaleDown(bk, 3), "no change");
        assertEquals(java.util.Optional.empty(), BookKeeperModel.scaleDown(bk, 2), "scaling up");
        SpecProblem p = BookKeeperModel.scaleDown(bk, 5).orElseThrow();
        assertEquals(SpecProblem.BOOKIE_SCALE_DOWN_REFUSED, p.reason());
        assertEquals("spec.replicas", p.field());
        assertTrue(p.message().contains("b1-bookie-3, b1-bookie-4"), p.message());
        assertTrue(p.message().contains("decommissionbookie"), p.message());
        bk.getMetadata().setAnnotations(Map.of(BookKeeperModel.DECOMMISSIONED_BOOKIES, "4"));
        assertTrue(BookKeeperModel.scaleDown(bk, 5).orElseThrow().message().contains("remove b1-bookie-3,"),
                "bookie 3 is not decommissioned");
        bk.getMetadata().setAnnotations(Map.of(BookKeeperModel.DECOMMISSIONED_BOOKIES, " 4, 3,x"));
        assertEquals(java.util.Optional.empty(), BookKeeperModel.scaleDown(bk, 5), "both listed");
    }
}
