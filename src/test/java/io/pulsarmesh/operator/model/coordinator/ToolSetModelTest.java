package io.pulsarmesh.operator.model.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.CustomResource;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.TlsSpec;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.ToolSet;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.istio.Mesh;
import io.pulsarmesh.operator.model.istio.MeshPods;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.render.Renderer;

class ToolSetModelTest {
    static final String NS = "pulsar";

    static List<CustomResource<?, ?>> istioExample() {
        return Render.load(Path.of("kubernetes/examples/pulsar-cluster-istio.yaml"), NS).stream()
                .<CustomResource<?, ?>>map(Render.Loaded::resource).toList();
    }

    static <T> T one(List<CustomResource<?, ?>> all, Class<T> kind) {
        return all.stream().filter(kind::isInstance).map(kind::cast).findFirst().orElseThrow();
    }

    static PulsarCoordinator enable(PulsarCoordinator pc, Integer replicas) {
        ToolSet t = new ToolSet();
        t.setEnabled(true);
        t.setReplicas(replicas);
        pc.getSpec().setToolSet(t);
        return pc;
    }

    @Test
    void nothingUnlessEnabledAndABrokerIsThere() {
        List<CustomResource<?, ?>> all = istioExample();
        PulsarCoordinator pc = one(all, PulsarCoordinator.class);
        assertEquals(List.of(), Renderer.desired(pc, ModelSettings.defaults(), all), "not enabled");
        enable(pc, null);
        assertEquals(List.of(), ToolSetModel.desired(pc, null, Mesh.OFF, ModelSettings.defaults()), "no broker");
    }

    @Test
    void aToolsetInTheBrokersMeshConfiguredForTheirService() {
        List<CustomResource<?, ?>> all = istioExample();
        PulsarCoordinator pc = enable(one(all, PulsarCoordinator.class), 2);
        List<HasMetadata> objects = Renderer.desired(pc, ModelSettings.defaults(), all);
        assertEquals(List.of("ConfigMap/private-cloud-toolset", "Deployment/private-cloud-toolset"),
                objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList());
        ConfigMap cm = (ConfigMap) objects.get(0);
        String conf = cm.getData().get(ToolSetModel.CLIENT_CONF);
        assertTrue(conf.contains("brokerServiceUrl=pulsar://private-cloud-broker.pulsar.svc.cluster.local:6650"), conf);
        assertTrue(conf.contains("webServiceUrl=http://private-cloud-broker.pulsar.svc.cluster.local:8080"), conf);

        Deployment d = (Deployment) objects.get(1);
        assertEquals(2, d.getSpec().getReplicas());
        assertEquals("PulsarCoordinator", d.getMetadata().getOwnerReferences().get(0).getKind());
        PodTemplateSpec t = d.getSpec().getTemplate();
        Map<String, String> labels = t.getMetadata().getLabels();
        assertEquals("true", labels.get(MeshPods.INJECT), "in the mesh, as the brokers: " + labels);
        assertEquals("private-cloud", labels.get(Labels.COORDINATOR_NAME), "followed by the coordinator");
        assertEquals(ToolSetModel.COMPONENT, labels.get(Labels.COMPONENT));
        Container c = t.getSpec().getContainers().get(0);
        assertEquals("apachepulsar/pulsar:4.0.5", c.getImage(), "the coordinator's image");
        assertEquals("/pulsar/operator/client.conf", c.getEnv().stream()
                .filter(e -> e.getName().equals("PULSAR_CLIENT_CONF")).findFirst().orElseThrow().getValue());
        assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
        assertTrue(t.getSpec().getSecurityContext().getRunAsNonRoot());
    }

    @Test
    void ambientBrokersGiveAnAmbientToolset() {
        List<CustomResource<?, ?>> all = istioExample();
        PulsarCoordinator pc = enable(one(all, PulsarCoordinator.class), null);
        one(all, PulsarBroker.class).getSpec().getIstio().setDataplaneMode("ambient");
        Deployment d = (Deployment) Renderer.desired(pc, ModelSettings.defaults(), all).get(1);
        Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
        assertEquals("ambient", labels.get(MeshPods.DATAPLANE_MODE), labels.toString());
        assertEquals("false", labels.get(MeshPods.INJECT));
        assertEquals(1, d.getSpec().getReplicas());
    }

    @Test
    void withTheBrokersTlsTheClientsUseItAndTrustTheirCa() {
        List<CustomResource<?, ?>> all = istioExample();
        PulsarCoordinator pc = enable(one(all, PulsarCoordinator.class), null);
        PulsarBroker pb = one(all, PulsarBroker.class);
        TlsSpec tls = new TlsSpec();
        tls.setEnabled(true);
        tls.setCertSecretName("broker-tls");
        pb.getSpec().setTls(tls);
        List<HasMetadata> objects = Renderer.desired(pc, ModelSettings.defaults(), all);
        String conf = ((ConfigMap) objects.get(0)).getData().get(ToolSetModel.CLIENT_CONF);
        assertTrue(conf.contains("brokerServiceUrl=pulsar+ssl://private-cloud-broker.pulsar.svc.cluster.local:6651"),
                conf);
        assertTrue(conf.contains("tlsTrustCertsFilePath=/pulsar/certs/ca.crt"), conf);
        Deployment d = (Deployment) objects.get(1);
        assertTrue(d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getSecret() != null && "broker-tls".equals(v.getSecret().getSecretName())));
    }

    /**
     * The brokers' AuthorizationPolicy admits the toolset: under STRICT mTLS, clients of the brokers' namespace on
     * 6650 and 8080, which the toolset's pods are (whatever their service account).
     */
    @Test
    void theBrokersAuthorizationPolicyAdmitsTheToolset() {
        List<CustomResource<?, ?>> all = istioExample();
        PulsarBroker pb = one(all, PulsarBroker.class);
        io.fabric8.istio.api.security.v1.AuthorizationPolicy ap = Renderer.desired(pb, ModelSettings.defaults(), all)
                .stream().filter(io.fabric8.istio.api.security.v1.AuthorizationPolicy.class::isInstance)
                .map(io.fabric8.istio.api.security.v1.AuthorizationPolicy.class::cast).findFirst().orElseThrow();
        assertTrue(ap.getSpec().getRules().stream().anyMatch(r -> r.getFrom() != null && r.getFrom().stream()
                .anyMatch(f -> f.getSource().getNamespaces() != null && f.getSource().getNamespaces().contains(NS))
                && r.getTo().stream().anyMatch(t -> t.getOperation().getPorts().containsAll(List.of("6650", "8080")))),
                String.valueOf(ap.getSpec().getRules()));
    }
}
