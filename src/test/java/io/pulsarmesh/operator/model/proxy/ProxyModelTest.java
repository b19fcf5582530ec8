package io.pulsarmesh.operator.model.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.pulsarmesh.operator.api.common.v1alpha1.JvmOptions;
import io.pulsarmesh.operator.api.common.v1alpha1.SecretRef;
import io.pulsarmesh.operator.api.common.v1alpha1.ServicePodPolicy;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.ProxyConfig;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.TlsSpec;
import io.pulsarmesh.operator.model.common.ConfigFile;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.common.PodTemplates;
import io.pulsarmesh.operator.model.common.Scripts;
import io.pulsarmesh.operator.model.common.SpecProblem;

class ProxyModelTest {
    static final String NAME = "pc";
    static final String NS = "pulsar";

    static PulsarProxy proxy() {
        PulsarProxy pp = new PulsarProxy();
        pp.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(NS).withUid("uid-p").build());
        pp.getSpec().setBrokerAddress("pc-broker");
        return pp;
    }

    static ProxyConfig config(PulsarProxy pp) {
        if (pp.getSpec().getConfig() == null) {
            pp.getSpec().setConfig(new ProxyConfig());
        }
        return pp.getSpec().getConfig();
    }

    static void enableTls(PulsarProxy pp, String secret) {
        TlsSpec tls = new TlsSpec();
        tls.setEnabled(true);
        tls.setCertSecretName(secret);
        config(pp).setTls(tls);
    }

    static <T> T find(List<HasMetadata> objects, Class<T> kind, String name) {
        return objects.stream().filter(kind::isInstance).filter(o -> o.getMetadata().getName().equals(name))
                .map(kind::cast).findFirst().orElseThrow(() -> new AssertionError(kind.getSimpleName() + " " + name));
    }

    static Deployment deployment(PulsarProxy pp) {
        return find(ProxyModel.desired(pp, ModelSettings.defaults()), Deployment.class, "pc-proxy");
    }

    static Container proxyContainer(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static Map<String, String> portNames(List<ServicePort> ports) {
        Map<String, String> m = new LinkedHashMap<>();
        ports.forEach(p -> {
            assertEquals(p.getPort(), p.getTargetPort().getIntVal());
            m.put(p.getName(), p.getPort() + "/" + p.getAppProtocol());
        });
        return m;
    }

    static String hash(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION);
    }

    @Test
    void desiredObjectsNamesKindsAndOrder() {
        List<HasMetadata> objects = ProxyModel.desired(proxy(), ModelSettings.defaults());
        assertEquals(List.of("ConfigMap/pc-proxy", "Service/pc-proxy", "PodDisruptionBudget/pc-proxy",
                "Deployment/pc-proxy"),
                objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList());
    }

    @Test
    void labelsAndOwnerOnEveryObject() {
        PulsarProxy pp = proxy();
        pp.getSpec().setLabels(Map.of("team", "b"));
        for (HasMetadata o : ProxyModel.desired(pp, ModelSettings.defaults())) {
            assertEquals(NS, o.getMetadata().getNamespace());
            Map<String, String> l = o.getMetadata().getLabels();
            assertEquals("proxy", l.get(Labels.COMPONENT));
            assertEquals(NAME, l.get(Labels.CLUSTER));
            assertEquals("pulsar", l.get(Labels.APP));
            assertEquals("b", l.get("team"));
            OwnerReference ref = o.getMetadata().getOwnerReferences().get(0);
            assertEquals("PulsarProxy", ref.getKind());
            assertEquals(pp.getApiVersion(), ref.getApiVersion());
            assertEquals("uid-p", ref.getUid());
            assertTrue(ref.getController());
        }
    }

    @Test
    void serviceAndPorts() {
        Service svc = find(ProxyModel.desired(proxy(), ModelSettings.defaults()), Service.class, "pc-proxy");
        assertEquals("ClusterIP", svc.getSpec().getType());
        assertEquals(Map.of("tcp-pulsar", "6650/tcp", "http-web", "8080/http"), portNames(svc.getSpec().getPorts()));
        assertEquals(ProxyModel.selector(proxy()), svc.getSpec().getSelector());
        assertEquals("proxy", svc.getSpec().getSelector().get(Labels.COMPONENT));
    }

    @Test
    void baseConfigKeys() {
        ConfigFile f = ProxyModel.config(proxy());
        assertEquals(NAME, f.get("clusterName"));
        assertEquals("6650", f.get("servicePort"));
        assertEquals("8080", f.get("webServicePort"));
        assertEquals("pulsar://pc-broker:6650", f.get("brokerServiceURL"));
        assertEquals("http://pc-broker:8080", f.get("brokerWebServiceURL"));
        assertEquals("/pulsar/logs/status", f.get("statusFilePath"));
        assertNull(f.get("functionWorkerWebServiceURL"));
        assertNull(f.get("webSocketServiceEnabled"));
        assertNull(f.get("servicePortTls"));
        assertNull(f.get("tlsCertificateFilePath"));
    }

    @Test
    void brokerAddressUsedAsGiven() {
        PulsarProxy pp = proxy();
        pp.getSpec().setBrokerAddress("pc-broker.other.svc.cluster.local");
        assertEquals("pulsar://pc-broker.other.svc.cluster.local:6650", ProxyModel.config(pp).get("brokerServiceURL"));
    }

    @Test
    void typedSettings() {
        PulsarProxy pp = proxy();
        config(pp).setClusterName("prod");
        pp.getSpec().setWebSocketServiceEnabled(true);
        pp.getSpec().setFunctionsWorkerAddress("pc-function");
        ConfigFile f = ProxyModel.config(pp);
        assertEquals("prod", f.get("clusterName"));
        assertEquals("true", f.get("webSocketServiceEnabled"));
        assertEquals("http://pc-function:6750", f.get("functionWorkerWebServiceURL"));
    }

    @Test
    void functionsWorkerAddressForms() {
        assertEquals("http://fw:6750", ProxyModel.functionWorkerWebServiceUrl("fw"));
        assertEquals("http://fw:8080", ProxyModel.functionWorkerWebServiceUrl("fw:8080"));
        assertEquals("https://fw:6751", ProxyModel.functionWorkerWebServiceUrl("https://fw:6751"));
        assertNull(ProxyModel.functionWorkerWebServiceUrl(""));
    }

    @Test
    void tlsFromConfigTls() {
        PulsarProxy pp = proxy();
        pp.getSpec().setCertSecretName("spec-level");
        enableTls(pp, "proxy-tls");
        ConfigFile f = ProxyModel.config(pp);
        assertEquals("6651", f.get("servicePortTls"));
        assertEquals("8443", f.get("webServicePortTls"));
        assertEquals("/pulsar/certs/tls.crt", f.get("tlsCertificateFilePath"));
        assertEquals("/pulsar/certs/tls.key", f.get("tlsKeyFilePath"));
        assertEquals("/pulsar/certs/ca.crt", f.get("tlsTrustCertsFilePath"));
        List<HasMetadata> objects = ProxyModel.desired(pp, ModelSettings.defaults());
        Service svc = find(objects, Service.class, "pc-proxy");
        assertEquals(Map.of("tcp-pulsar", "6650/tcp", "http-web", "8080/http", "tls-pulsar", "6651/tls",
                "https-web", "8443/https"), portNames(svc.getSpec().getPorts()));
        Deployment d = find(objects, Deployment.class, "pc-proxy");
        Volume certs = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("certs")).findFirst().orElseThrow();
        assertEquals("proxy-tls", certs.getSecret().getSecretName());
        VolumeMount m = proxyContainer(d).getVolumeMounts().stream().filter(v -> v.getName().equals("certs"))
                .findFirst().orElseThrow();
        assertEquals("/pulsar/certs", m.getMountPath());
        assertTrue(m.getReadOnly());
        assertEquals(List.of("tcp-pulsar", "http-web", "tls-pulsar", "https-web"),
                proxyContainer(d).getPorts().stream().map(ContainerPort::getName).toList());
    }

    @Test
    void tlsFallsBackToSpecCertSecretName() {
        PulsarProxy pp = proxy();
        pp.getSpec().setCertSecretName("spec-level");
        enableTls(pp, null);
        Volume certs = deployment(pp).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("certs")).findFirst().orElseThrow();
        assertEquals("spec-level", certs.getSecret().getSecretName());
    }

    @Test
    void specCertSecretAloneDoesNotEnableTls() {
        PulsarProxy pp = proxy();
        pp.getSpec().setCertSecretName("spec-level");
        assertNull(ProxyModel.config(pp).get("servicePortTls"));
        assertFalse(deployment(pp).getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getName().equals("certs")));
    }

    @Test
    void customKeysWithPrefixStripped() {
        PulsarProxy pp = proxy();
        config(pp).setCustom(Map.of("PULSAR_PREFIX_proxyLogLevel", "2", "numIOThreads", "4"));
        ConfigFile f = ProxyModel.config(pp);
        assertEquals("2", f.get("proxyLogLevel"));
        assertEquals("4", f.get("numIOThreads"));
        assertNull(f.get("PULSAR_PREFIX_proxyLogLevel"));
        assertTrue(ProxyModel.validate(pp).isEmpty());
    }

    @Test
    void reservedKeysAreRefused() {
        for (String key : List.of("servicePort", "servicePortTls", "webServicePort", "webServicePortTls",
                "brokerServiceURL", "brokerServiceURLTLS", "brokerWebServiceURL", "brokerWebServiceURLTLS",
                "statusFilePath", "clusterName", "advertisedAddress", "tlsCertificateFilePath", "tlsKeyFilePath",
                "tlsTrustCertsFilePath", "PULSAR_PREFIX_brokerServiceURL")) {
            PulsarProxy pp = proxy();
            config(pp).setCustom(Map.of(key, "x"));
            List<SpecProblem> problems = ProxyModel.validate(pp);
            assertEquals(1, problems.size(), key);
            assertEquals(SpecProblem.RESERVED_CONFIG_KEY, problems.get(0).reason());
            assertEquals("spec.config.custom." + key, problems.get(0).field());
        }
    }

    @Test
    void missingBrokerAddress() {
        PulsarProxy pp = proxy();
        pp.getSpec().setBrokerAddress(null);
        List<SpecProblem> problems = ProxyModel.validate(pp);
        assertEquals(1, problems.size());
        assertEquals(SpecProblem.MISSING_BROKER_ADDRESS, problems.get(0).reason());
        assertEquals("spec.brokerAddress", problems.get(0).field());
        pp.getSpec().setBrokerAddress("");
        assertEquals(1, ProxyModel.validate(pp).size());
        assertTrue(ProxyModel.validate(proxy()).isEmpty());
    }

    @Test
    void notActedOnFields() {
        PulsarProxy pp = proxy();
        assertTrue(ProxyModel.notActedOn(pp).isEmpty());
        pp.getSpec().setIssuerRef(node(Map.of("name", "ca")));
        pp.getSpec().setConfigurationStoreServers("zk:2181");
        config(pp).setKopProxy(node(Map.of("enabled", true)));
        config(pp).setAuthentication(node(Map.of("jwt", Map.of())));
        config(pp).setAuthorization(node(Map.of("x", 1)));
        config(pp).setClientAuth(node(Map.of("x", 1)));
        config(pp).setPrometheusPlugin(node(Map.of("host", "h")));
        pp.getSpec().setCustomization(List.of(node(Map.of("x", 1))));
        assertEquals(List.of("spec.customization", "spec.issuerRef", "spec.configurationStoreServers",
                "spec.config.kopProxy", "spec.config.authentication", "spec.config.authorization",
                "spec.config.clientAuth", "spec.config.prometheusPlugin"), ProxyModel.notActedOn(pp));
    }

    @Test
    void deploymentShape() {
        PulsarProxy pp = proxy();
        pp.getSpec().setReplicas(2);
        Deployment d = deployment(pp);
        assertEquals(2, d.getSpec().getReplicas());
        assertEquals("RollingUpdate", d.getSpec().getStrategy().getType());
        assertEquals(0, d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        assertEquals(1, d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal());
        assertEquals(ProxyModel.selector(pp), d.getSpec().getSelector().getMatchLabels());
        assertEquals("pc-proxy", d.getSpec().getTemplate().getSpec().getVolumes().get(0).getConfigMap().getName());
        Container c = proxyContainer(d);
        assertEquals("proxy", c.getName());
        assertEquals(List.of("bash", "/pulsar/operator/start.sh"), c.getCommand());
        assertEquals("/status.html", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(8080, c.getReadinessProbe().getHttpGet().getPort().getIntVal());
        assertEquals("/status.html", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals(60, c.getStartupProbe().getFailureThreshold());
        assertEquals(10, c.getStartupProbe().getPeriodSeconds());
        assertEquals(3, deployment(proxy()).getSpec().getReplicas());
    }

    @Test
    void pdbAllowsOneProxyDown() {
        PodDisruptionBudget pdb = find(ProxyModel.desired(proxy(), ModelSettings.defaults()),
                PodDisruptionBudget.class, "pc-proxy");
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
        assertEquals(ProxyModel.selector(proxy()), pdb.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void startScript() {
        String script = ProxyModel.configMap(proxy()).getData().get(Scripts.START_SCRIPT);
        assertTrue(script.startsWith(Scripts.header()));
        assertTrue(script.contains("cat /pulsar/operator/proxy.conf > \"$overrides\""), script);
        assertTrue(script.contains("merge_config \"$conf\" \"$overrides\""), script);
        assertTrue(script.contains("echo OK > /pulsar/logs/status"), script);
        assertTrue(script.contains("export PULSAR_PROXY_CONF=\"$conf\""), script);
        assertTrue(script.trim().endsWith("exec bin/pulsar proxy"), script);
        assertFalse(script.contains("advertisedAddress"), script);
        assertFalse(script.contains("initialize-cluster-metadata"), script);

        PulsarProxy podIp = proxy();
        config(podIp).setUsePodIPAsAdvertisedAddress(true);
        String s2 = ProxyModel.configMap(podIp).getData().get(Scripts.START_SCRIPT);
        assertTrue(s2.contains("echo \"advertisedAddress=${POD_IP}\" >> \"$overrides\""), s2);
        assertTrue(s2.indexOf("advertisedAddress") < s2.indexOf("merge_config \"$conf\""), s2);
    }

    @Test
    void envAndSecretRefs() {
        PulsarProxy pp = proxy();
        ServicePodPolicy pod = new ServicePodPolicy();
        JvmOptions jvm = new JvmOptions();
        jvm.setExtraOptions(List.of("-Dfoo=bar"));
        pod.setJvmOptions(jvm);
        pod.setVars(List.of(PodTemplates.env("PULSAR_EXTRA_OPTS", "-Dmine=1")));
        SecretRef ref = new SecretRef();
        ref.setSecretName("client-token");
        ref.setMountPath("/pulsar/client");
        pod.setSecretRefs(List.of(ref));
        pp.getSpec().setPod(pod);
        Deployment d = deployment(pp);
        Container c = proxyContainer(d);
        List<EnvVar> env = c.getEnv();
        assertEquals(1, env.stream().filter(e -> e.getName().equals("PULSAR_EXTRA_OPTS")).count());
        assertEquals("-Dmine=1", env.get(env.size() - 1).getValue());
        assertEquals(JvmOptionsDefaults.MEM, env.stream().filter(e -> e.getName().equals("PULSAR_MEM")).findFirst()
                .orElseThrow().getValue());
        assertTrue(d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getName().equals("secret-client-token")
                        && v.getSecret().getSecretName().equals("client-token")));
        VolumeMount m = c.getVolumeMounts().stream().filter(v -> v.getName().equals("secret-client-token"))
                .findFirst().orElseThrow();
        assertEquals("/pulsar/client", m.getMountPath());
        assertTrue(m.getReadOnly());
    }

    @Test
    void configHashStableAndChangesWithConfig() {
        String h = hash(deployment(proxy()));
        assertEquals(h, hash(deployment(proxy())));
        assertEquals(PodTemplates.hash(ProxyModel.configMap(proxy()).getData()), h);
        PulsarProxy other = proxy();
        other.getSpec().setBrokerAddress("other-broker");
        assertNotEquals(h, hash(deployment(other)));
        PulsarProxy podIp = proxy();
        config(podIp).setUsePodIPAsAdvertisedAddress(true);
        assertNotEquals(h, hash(deployment(podIp)));
    }

    /** The documented default, written out so a change to it is noticed. */
    static final class JvmOptionsDefaults {
        static final String MEM = "-XX:InitialRAMPercentage=30 -XX:MaxRAMPercentage=30";
    }

    static com.fasterxml.jackson.databind.JsonNode node(Object value) {
        return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(value);
    }
}
