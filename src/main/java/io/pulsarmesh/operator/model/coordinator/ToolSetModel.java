package io.pulsarmesh.operator.model.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.pulsarmesh.operator.api.common.v1alpha1.PodPolicy;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.ToolSet;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.model.broker.BrokerModel;
import io.pulsarmesh.operator.model.common.ConfigFile;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.Meta;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.common.Names;
import io.pulsarmesh.operator.model.common.PodTemplates;
import io.pulsarmesh.operator.model.common.PulsarServices;
import io.pulsarmesh.operator.model.common.Scripts;
import io.pulsarmesh.operator.model.istio.Mesh;

/**
 * The coordinator's toolset ({@code spec.toolSet}): a Deployment {@code <coordinator>-toolset} of the Pulsar image
 * that idles, with {@code pulsar-admin}, {@code pulsar-client} and {@code pulsar-perf} configured by a
 * {@code client.conf} (ConfigMap of the same name) for the cluster's brokers, in the mesh as the brokers are
 * (sidecar or ambient, the same pod labels), so that it reaches them under strict mTLS and its AuthorizationPolicy
 * admission is that of any client in the namespace. With the brokers' TLS on, the clients use the TLS listeners and
 * trust the CA of the brokers' certificate Secret (mounted, never read by the operator).
 */
public final class ToolSetModel {
    public static final String COMPONENT = "toolset";
    public static final String CLIENT_CONF = "client.conf";
    static final String CONTAINER = "toolset";

    private ToolSetModel() {
    }

    public static String name(PulsarCoordinator pc) {
        return pc.getMetadata().getName() + "-" + COMPONENT;
    }

    public static boolean enabled(PulsarCoordinator pc) {
        ToolSet t = pc.getSpec() != null ? pc.getSpec().getToolSet() : null;
        return t != null && Boolean.TRUE.equals(t.getEnabled());
    }

    /** The labels of the toolset's objects and pods (the coordinator's name included, as its components' pods). */
    public static Map<String, String> labels(PulsarCoordinator pc, Map<String, String> user) {
        Map<String, String> l = Labels.objectLabels(COMPONENT, pc.getMetadata().getName(), user);
        l.put(Labels.COORDINATOR_NAME, pc.getMetadata().getName());
        return l;
    }

    /**
     * The toolset's objects: none when it is not enabled or there is no broker to point at yet.
     *
     * @param broker the cluster's brokers (the coordinator's PulsarBroker)
     * @param mesh the brokers' mesh (their own settings with the coordinator's defaults)
     */
    public static List<HasMetadata> desired(PulsarCoordinator pc, PulsarBroker broker, Mesh mesh,
            ModelSettings settings) {
        if (!enabled(pc) || broker == null) {
            return List.of();
        }
        ToolSet t = pc.getSpec().getToolSet();
        PodPolicy pod = t.getPod();
        Map<String, String> labels = labels(pc, null);
        ConfigMap cm = new ConfigMapBuilder().withMetadata(Meta.owned(pc, name(pc), labels))
                .withData(Map.of(CLIENT_CONF, clientConf(broker).render())).build();

        boolean tls = BrokerModel.tlsEnabled(broker);
        List<VolumeMount> mounts = new ArrayList<>(List.of(PodTemplates.configMount()));
        List<Volume> volumes = new ArrayList<>();
        if (tls) {
            volumes.add(new VolumeBuilder().withName("broker-ca").withNewSecret()
                    .withSecretName(BrokerModel.tlsSecret(broker)).addNewItem().withKey("ca.crt").withPath("ca.crt")
                    .endItem().endSecret().build());
            mounts.add(new VolumeMountBuilder().withName("broker-ca").withMountPath(PulsarServices.CERTS_DIR)
                    .withReadOnly(true).build());
        }
        Container main = new ContainerBuilder().withName(CONTAINER).withImage(image(pc, settings))
                .withImagePullPolicy("IfNotPresent")
                // Idle until stopped; the clients are run with kubectl exec.
                .withCommand("bash", "-c", "trap 'exit 0' TERM INT; sleep infinity & wait")
                .withEnv(PodTemplates.env("PULSAR_CLIENT_CONF", Scripts.OPERATOR_DIR + "/" + CLIENT_CONF))
                .withResources(pod != null && pod.getResources() != null ? pod.getResources()
                        : new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("100m"))
                                .addToRequests("memory", new Quantity("256Mi")).build())
                .withSecurityContext(PodTemplates.containerSecurity())
                .withVolumeMounts(mounts).build();
        Map<String, String> selector = Labels.selector(COMPONENT, pc.getMetadata().getName());
        Map<String, String> podLabels = labels(pc, null);
        Deployment d = new DeploymentBuilder().withMetadata(Meta.owned(pc, name(pc), labels))
                .withNewSpec().withReplicas(t.getReplicas() != null ? t.getReplicas() : 1)
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withNewTemplate()
                .withMetadata(PodTemplates.podMeta(pod, podLabels, PodTemplates.hash(cm.getData()), mesh))
                .withSpec(PodTemplates.podSpec(pod, settings, selector, name(pc), main, volumes))
                .endTemplate().endSpec().build();
        d.getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds(
                pod != null && pod.getTerminationGracePeriodSeconds() != null ? pod.getTerminationGracePeriodSeconds()
                        : 5L);
        return List.of(cm, d);
    }

    /** The toolset's image: its own, else the coordinator's, else the operator's default. */
    static String image(PulsarCoordinator pc, ModelSettings settings) {
        ToolSet t = pc.getSpec().getToolSet();
        if (t.getImage() != null && !t.getImage().isBlank()) {
            return t.getImage();
        }
        return pc.getSpec().getImage() != null && !pc.getSpec().getImage().isBlank() ? pc.getSpec().getImage()
                : settings.defaultImage();
    }

    /** The clients' configuration: the brokers' Service, over TLS when the brokers serve it. */
    public static ConfigFile clientConf(PulsarBroker broker) {
        String host = Names.serviceFqdn(Names.broker(broker.getMetadata().getName()), broker.getMetadata().getNamespace());
        ConfigFile f = new ConfigFile();
        if (BrokerModel.tlsEnabled(broker)) {
            f.put("webServiceUrl", "https://" + host + ":" + PulsarServices.WEB_TLS_PORT)
                    .put("brokerServiceUrl", "pulsar+ssl://" + host + ":" + PulsarServices.PULSAR_TLS_PORT)
                    .put("tlsTrustCertsFilePath", PulsarServices.CERTS_DIR + "/ca.crt")
                    .put("tlsAllowInsecureConnection", false)
                    .put("tlsEnableHostnameVerification", false);
        } else {
            f.put("webServiceUrl", "http://" + host + ":" + PulsarServices.WEB_PORT)
                    .put("brokerServiceUrl", "pulsar://" + host + ":" + PulsarServices.PULSAR_PORT);
        }
        return f;
    }
}
