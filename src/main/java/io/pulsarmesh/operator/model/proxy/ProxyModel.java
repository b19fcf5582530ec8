package io.pulsarmesh.operator.model.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.pulsarmesh.operator.api.common.v1alpha1.ServicePodPolicy;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.ProxyConfig;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxySpec;
import io.pulsarmesh.operator.model.broker.BrokerModel;
import io.pulsarmesh.operator.model.common.ConfigFile;
import io.pulsarmesh.operator.model.common.JvmEnv;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.Meta;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.common.Names;
import io.pulsarmesh.operator.model.common.NotActedOn;
import io.pulsarmesh.operator.model.common.PodTemplates;
import io.pulsarmesh.operator.model.common.PulsarServices;
import io.pulsarmesh.operator.model.common.Scripts;
import io.pulsarmesh.operator.model.common.SpecProblem;
import io.pulsarmesh.operator.model.common.Workloads;
import io.pulsarmesh.operator.model.istio.IstioPolicies;
import io.pulsarmesh.operator.model.istio.Mesh;
import io.pulsarmesh.operator.model.istio.MeshEnrollment;

/**
 * Desired state of the proxies: a ConfigMap (proxy.conf overrides and the start script), the Service
 * {@code <name>-proxy}, a PodDisruptionBudget and a Deployment (proxies keep no state and need no stable names).
 *
 * <p>The proxies reach the brokers through {@code spec.brokerAddress}, used as given: a Service name of the same
 * namespace or a host name. They need no metadata store.
 */
public final class ProxyModel {
    public static final int PULSAR_PORT = PulsarServices.PULSAR_PORT;
    public static final int PULSAR_TLS_PORT = PulsarServices.PULSAR_TLS_PORT;
    public static final int WEB_PORT = PulsarServices.WEB_PORT;
    public static final int WEB_TLS_PORT = PulsarServices.WEB_TLS_PORT;
    /** Web port of a standalone functions worker (workerPort), when functionsWorkerAddress names no port. */
    public static final int FUNCTIONS_WORKER_PORT = 6750;
    public static final String CONF_FILE = "proxy.conf";
    public static final String STATUS_FILE = "/pulsar/logs/status";
    public static final String CERTS_DIR = PulsarServices.CERTS_DIR;
    public static final String CERTS_VOLUME = PulsarServices.CERTS_VOLUME;

    static final Set<String> OWNED_KEYS = Set.of("servicePort", "servicePortTls", "webServicePort",
            "webServicePortTls", "brokerServiceURL", "brokerServiceURLTLS", "brokerWebServiceURL",
            "brokerWebServiceURLTLS", "statusFilePath", "clusterName", "advertisedAddress", "tlsCertificateFilePath",
            "tlsKeyFilePath", "tlsTrustCertsFilePath");

    private ProxyModel() {
    }

    /** Problems the schema cannot catch; when there are any, nothing is applied. */
    public static List<SpecProblem> validate(PulsarProxy pp) {
        PulsarProxySpec spec = pp.getSpec();
        List<SpecProblem> problems = new ArrayList<>();
        if (spec.getConfig() != null) {
            problems.addAll(ConfigFile.reservedKeys(spec.getConfig().getCustom(), "spec.config.custom", OWNED_KEYS,
                    List.of()));
        }
        if (spec.getBrokerAddress() == null || spec.getBrokerAddress().isBlank()) {
            problems.add(new SpecProblem(SpecProblem.MISSING_BROKER_ADDRESS, "spec.brokerAddress",
                    "no broker to forward to: set spec.brokerAddress (for example my-broker, the brokers' Service)"));
        }
        return problems;
    }

    /** Accepted fields that are not acted on yet. */
    public static List<String> notActedOn(PulsarProxy pp) {
        PulsarProxySpec spec = pp.getSpec();
        NotActedOn n = NotActedOn.of(spec)
                .noGateway(spec.getIstio(), "external access goes through the brokers' gateway")
                .check("spec.issuerRef", spec.getIssuerRef())
                .check("spec.configurationStoreServers", spec.getConfigurationStoreServers());
        ProxyConfig c = spec.getConfig();
        if (c != null) {
            n.check("spec.config.kopProxy", c.getKopProxy())
                    .check("spec.config.authentication", c.getAuthentication())
                    .check("spec.config.authorization", c.getAuthorization())
                    .check("spec.config.clientAuth", c.getClientAuth())
                    .check("spec.config.prometheusPlugin", c.getPrometheusPlugin());
        }
        return n.fields();
    }

    /** Every object of the proxies, in the order they are applied. */
    public static List<HasMetadata> desired(PulsarProxy pp, ModelSettings settings) {
        return desired(pp, settings, Mesh.of(pp.getSpec().getIstio()));
    }

    /** Every object of the proxies in the given mesh, in the order they are applied. */
    public static List<HasMetadata> desired(PulsarProxy pp, ModelSettings settings, Mesh mesh) {
        ConfigMap cm = configMap(pp);
        List<HasMetadata> out = new ArrayList<>(List.of(cm, service(pp), podDisruptionBudget(pp),
                deployment(pp, settings, PodTemplates.hash(cm.getData()), mesh)));
        out.addAll(istioObjects(pp, settings, mesh));
        return out;
    }

    /** Istio objects of the proxies: clients and the operator on the proxy's Pulsar and web ports. */
    public static List<HasMetadata> istioObjects(PulsarProxy pp, ModelSettings settings, Mesh mesh) {
        String name = pp.getMetadata().getName();
        List<Integer> ports = ports(pp).stream().map(ServicePort::getPort).toList();
        return IstioPolicies.objects(pp, Names.proxy(name), labels(pp), selector(pp), List.of(Names.proxy(name)),
                java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(IstioPolicies.peers(mesh, pp.getMetadata().getNamespace(), ports),
                                IstioPolicies.operator(mesh, settings.identities().operator(), ports)),
                        IstioPolicies.scrapers(mesh, settings.identities().metricsScrapers(), List.of(WEB_PORT)).stream())
                        .toList(),
                mesh);
    }

    public static int replicas(PulsarProxy pp) {
        return pp.getSpec().getReplicas() != null ? pp.getSpec().getReplicas() : 3;
    }

    static Map<String, String> labels(PulsarProxy pp) {
        return Labels.objectLabels(Labels.PROXY, pp, pp.getSpec().getLabels());
    }

    public static Map<String, String> selector(PulsarProxy pp) {
        return Labels.selector(Labels.PROXY, pp.getMetadata().getName());
    }

    static ProxyConfig proxyConfig(PulsarProxy pp) {
        return pp.getSpec().getConfig() != null ? pp.getSpec().getConfig() : new ProxyConfig();
    }

    public static boolean tlsEnabled(PulsarProxy pp) {
        ProxyConfig c = proxyConfig(pp);
        return c.getTls() != null && Boolean.TRUE.equals(c.getTls().getEnabled());
    }

    /** Secret with the proxy's certificate: {@code config.tls.certSecretName}, else {@code spec.certSecretName}. */
    static String certSecretName(PulsarProxy pp) {
        ProxyConfig c = proxyConfig(pp);
        if (c.getTls() != null && c.getTls().getCertSecretName() != null && !c.getTls().getCertSecretName().isBlank()) {
            return c.getTls().getCertSecretName();
        }
        return pp.getSpec().getCertSecretName();
    }

    public static String clusterName(PulsarProxy pp) {
        String c = proxyConfig(pp).getClusterName();
        return c != null && !c.isBlank() ? c : pp.getMetadata().getName();
    }

    /** URL of the functions worker's web service: as given with a scheme, else http on its port (default 6750). */
    static String functionWorkerWebServiceUrl(String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        if (address.contains("://")) {
            return address;
        }
        return "http://" + address + (address.contains(":") ? "" : ":" + FUNCTIONS_WORKER_PORT);
    }

    /** proxy.conf keys the operator sets. */
    public static ConfigFile config(PulsarProxy pp) {
        PulsarProxySpec spec = pp.getSpec();
        ProxyConfig c = proxyConfig(pp);
        String broker = spec.getBrokerAddress();
        ConfigFile f = new ConfigFile()
                .put("clusterName", clusterName(pp))
                .put("servicePort", PULSAR_PORT)
                .put("webServicePort", WEB_PORT)
                .put("brokerServiceURL", "pulsar://" + broker + ":" + BrokerModel.PULSAR_PORT)
                .put("brokerWebServiceURL", "http://" + broker + ":" + BrokerModel.WEB_PORT)
                .put("functionWorkerWebServiceURL", functionWorkerWebServiceUrl(spec.getFunctionsWorkerAddress()))
                .put("statusFilePath", STATUS_FILE)
                .put("webSocketServiceEnabled", spec.getWebSocketServiceEnabled());
        if (tlsEnabled(pp)) {
            PulsarServices.putTlsFiles(f.put("servicePortTls", PULSAR_TLS_PORT).put("webServicePortTls", WEB_TLS_PORT));
        }
        f.putAll(c.getCustom());
        return f;
    }

    static String startScript(PulsarProxy pp) {
        StringBuilder s = new StringBuilder(Scripts.header());
        s.append("""
                conf=/pulsar/conf/%2$s
                overrides=/tmp/%2$s
                cat %1$s/%2$s > "$overrides"
                """.formatted(Scripts.OPERATOR_DIR, CONF_FILE));
        if (Boolean.TRUE.equals(proxyConfig(pp).getUsePodIPAsAdvertisedAddress())) {
            s.append("echo \"advertisedAddress=${POD_IP}\" >> \"$overrides\"\n");
        }
        s.append("""
                merge_config "$conf" "$overrides"
                mkdir -p "$(dirname %1$s)"
                echo OK > %1$s
                export PULSAR_PROXY_CONF="$conf"
                exec bin/pulsar proxy
                """.formatted(STATUS_FILE));
        return s.toString();
    }

    public static ConfigMap configMap(PulsarProxy pp) {
        return PodTemplates.configMap(pp, Names.proxy(pp.getMetadata().getName()), labels(pp), CONF_FILE, config(pp),
                startScript(pp), pp.getSpec().getLogConfig());
    }

    static List<ServicePort> ports(PulsarProxy pp) {
        return PulsarServices.ports(tlsEnabled(pp));
    }

    public static Service service(PulsarProxy pp) {
        return new ServiceBuilder()
                .withMetadata(Meta.owned(pp, Names.proxy(pp.getMetadata().getName()), labels(pp)))
                .withNewSpec().withType("ClusterIP").withSelector(selector(pp)).withPorts(ports(pp)).endSpec()
                .build();
    }

    public static PodDisruptionBudget podDisruptionBudget(PulsarProxy pp) {
        return Workloads.podDisruptionBudget(pp, Names.proxy(pp.getMetadata().getName()), labels(pp), selector(pp));
    }

    public static Deployment deployment(PulsarProxy pp, ModelSettings settings, String configHash) {
        return deployment(pp, settings, configHash, Mesh.of(pp.getSpec().getIstio()));
    }

    public static Deployment deployment(PulsarProxy pp, ModelSettings settings, String configHash, Mesh mesh) {
        String name = pp.getMetadata().getName();
        ServicePodPolicy pod = pp.getSpec().getPod();
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(PodTemplates.configMount());
        List<Volume> volumes = new ArrayList<>();
        if (tlsEnabled(pp)) {
            PulsarServices.mountCerts(certSecretName(pp), volumes, mounts);
        }
        volumes.addAll(JvmEnv.secretVolumes(pod));
        mounts.addAll(JvmEnv.secretMounts(pod));
        return new DeploymentBuilder()
                .withMetadata(MeshEnrollment.annotate(Meta.owned(pp, Names.proxy(name), labels(pp)), mesh))
                .withNewSpec()
                .withReplicas(replicas(pp))
                .withNewSelector().withMatchLabels(selector(pp)).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1)).endRollingUpdate()
                .endStrategy()
                .withMinReadySeconds(pod != null ? pod.getMinReadySeconds() : null)
                .withNewTemplate()
                .withMetadata(PodTemplates.podMeta(pod, labels(pp), configHash, mesh))
                .withSpec(PodTemplates.podSpec(pod, settings, selector(pp), Names.proxy(name),
                        PulsarServices.container(Labels.PROXY, pp.getSpec(), pod, ports(pp), settings, mounts), volumes))
                .endTemplate()
                .endSpec()
                .build();
    }
}
