package io.pulsarmesh.operator.model.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.pulsarmesh.operator.api.common.v1alpha1.GatewayTls;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioGateway;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioSpec;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.BrokerConfig;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.ProtocolHandlers;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.TlsSpec;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.istio.Mesh;

/** Brokers in the mesh behind an ingress gateway, for the gateway and protocol tests. */
final class MeshBrokers {
    static final String NAME = "pc";
    static final String NS = "pulsar";
    static final String DOMAIN = "pulsar.example.com";
    static final String UID = "3F2A9C1E-77aa-4b1c-9d2e-0123456789ab";
    static final String SERVICE = "pc-broker.pulsar.svc.cluster.local";
    static final String GATEWAY_CERT = "pulsar-gw-cert";

    private MeshBrokers() {
    }

    /** A broker in the mesh, with a domain but no gateway yet. */
    static PulsarBroker broker(int replicas) {
        PulsarBroker pb = new PulsarBroker();
        pb.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(NS).withUid(UID).build());
        pb.getSpec().setZkServers("pc-zk:2181");
        pb.getSpec().setReplicas(replicas);
        config(pb).setAdvertisedDomain(DOMAIN);
        config(pb).setServiceURLGenerationPolicy("OrdinalPrefix");
        IstioSpec istio = new IstioSpec();
        istio.setEnabled(true);
        pb.getSpec().setIstio(istio);
        return pb;
    }

    /** A broker behind a gateway that terminates TLS with {@link #GATEWAY_CERT}. */
    static PulsarBroker simple(int replicas) {
        PulsarBroker pb = broker(replicas);
        gateway(pb, "simple").getTls().setCertSecretName(GATEWAY_CERT);
        return pb;
    }

    /** A broker with its own TLS behind a passthrough gateway. */
    static PulsarBroker passthrough(int replicas) {
        PulsarBroker pb = broker(replicas);
        gateway(pb, "passthrough");
        tls(pb);
        return pb;
    }

    static IstioGateway gateway(PulsarBroker pb, String mode) {
        IstioGateway gw = new IstioGateway();
        if (mode != null) {
            GatewayTls tls = new GatewayTls();
            tls.setMode(mode);
            gw.setTls(tls);
        }
        pb.getSpec().getIstio().setGateway(gw);
        return gw;
    }

    static IstioGateway gateway(PulsarBroker pb) {
        return pb.getSpec().getIstio().getGateway();
    }

    static BrokerConfig config(PulsarBroker pb) {
        if (pb.getSpec().getConfig() == null) {
            pb.getSpec().setConfig(new BrokerConfig());
        }
        return pb.getSpec().getConfig();
    }

    static void tls(PulsarBroker pb) {
        TlsSpec tls = new TlsSpec();
        tls.setEnabled(true);
        tls.setCertSecretName("broker-tls");
        pb.getSpec().setTls(tls);
    }

    static ProtocolHandlers handlers(PulsarBroker pb) {
        if (config(pb).getProtocolHandlers() == null) {
            config(pb).setProtocolHandlers(new ProtocolHandlers());
        }
        return config(pb).getProtocolHandlers();
    }

    static ProtocolHandlers.Kop kafka(PulsarBroker pb) {
        ProtocolHandlers.Kop kop = new ProtocolHandlers.Kop();
        kop.setEnabled(true);
        handlers(pb).setKop(kop);
        return kop;
    }

    /** Kafka with complete TLS settings (keystore Secret and password reference). */
    static ProtocolHandlers.Kop kafkaTls(PulsarBroker pb) {
        ProtocolHandlers.Kop kop = kafka(pb);
        ProtocolHandlers.KopTls tls = new ProtocolHandlers.KopTls();
        tls.setEnabled(true);
        tls.setCertSecretName("kafka-keystore");
        ProtocolHandlers.SecretKeyRef password = new ProtocolHandlers.SecretKeyRef();
        password.setName("kafka-keystore-password");
        password.setKey("password");
        tls.setPasswordSecretRef(password);
        kop.setTls(tls);
        return kop;
    }

    static ProtocolHandlers.Mop mqtt(PulsarBroker pb, boolean proxy) {
        ProtocolHandlers.Mop mop = new ProtocolHandlers.Mop();
        mop.setEnabled(true);
        mop.setProxyEnabled(proxy);
        handlers(pb).setMop(mop);
        return mop;
    }

    static ProtocolHandlers.Aop amqp(PulsarBroker pb) {
        ProtocolHandlers.Aop aop = new ProtocolHandlers.Aop();
        aop.setEnabled(true);
        handlers(pb).setAop(aop);
        return aop;
    }

    static Mesh mesh(PulsarBroker pb) {
        return Mesh.of(pb.getSpec().getIstio());
    }

    static BrokerGateway.Plan plan(PulsarBroker pb) {
        return BrokerGateway.plan(pb, mesh(pb));
    }

    static List<HasMetadata> istioObjects(PulsarBroker pb) {
        return BrokerModel.istioObjects(pb, ModelSettings.defaults(), mesh(pb));
    }

    static List<String> kindsAndNames(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> kind, String name) {
        List<T> found = all(objects, kind).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
        assertEquals(1, found.size(), () -> kind.getSimpleName() + " " + name + " in " + kindsAndNames(objects));
        return found.get(0);
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
