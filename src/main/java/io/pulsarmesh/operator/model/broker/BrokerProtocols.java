package io.pulsarmesh.operator.model.broker;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.ServicePort;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.BrokerConfig;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.ProtocolHandlers;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.model.common.ConfigFile;
import io.pulsarmesh.operator.model.common.PulsarServices;
import io.pulsarmesh.operator.model.common.Workloads;

/**
 * The protocols a broker speaks and the ports it listens on: Pulsar and HTTP always, TLS variants with
 * {@code spec.tls}, the external (gateway-facing) listeners with a gateway, and the Kafka (KoP), MQTT (MoP) and AMQP
 * (AoP) protocol handlers enabled in {@code config.protocolHandlers}.
 *
 * <table>
 * <caption>Broker ports</caption>
 * <tr><th>port</th><th>use</th></tr>
 * <tr><td>6650 / 6651</td><td>Pulsar / Pulsar TLS, listener {@code internal}</td></tr>
 * <tr><td>8080 / 8443</td><td>HTTP / HTTPS admin and lookups</td></tr>
 * <tr><td>6652 / 6653</td><td>Pulsar for the gateway's external listener: plain text behind a {@code simple} gateway,
 * TLS behind a {@code passthrough} one</td></tr>
 * <tr><td>9092 / 9093</td><td>Kafka PLAINTEXT / SSL (SSL with {@code kop.tls})</td></tr>
 * <tr><td>9094 / 9095</td><td>Kafka for the gateway: plain text (simple) / SSL (passthrough)</td></tr>
 * <tr><td>8001</td><td>Kafka schema registry ({@code kop.schemaRegistryEnabled})</td></tr>
 * <tr><td>1883 / 5682</td><td>MQTT / MoP proxy ({@code mop.proxyEnabled})</td></tr>
 * <tr><td>5672 / 5682 or 5685</td><td>AMQP / AoP proxy; the AoP proxy moves to 5685 when the MoP proxy holds
 * 5682 (both default to it; 5683 is MoP's TLS proxy port)</td></tr>
 * </table>
 */
public final class BrokerProtocols {
    public static final int PULSAR_EXTERNAL_PORT = 6652;
    public static final int PULSAR_EXTERNAL_TLS_PORT = 6653;
    public static final int KAFKA_PORT = 9092;
    public static final int KAFKA_TLS_PORT = 9093;
    public static final int KAFKA_EXTERNAL_PORT = 9094;
    public static final int KAFKA_EXTERNAL_TLS_PORT = 9095;
    public static final int SCHEMA_REGISTRY_PORT = 8001;
    public static final int MQTT_PORT = 1883;
    public static final int MQTT_PROXY_PORT = 5682;
    public static final int AMQP_PORT = 5672;
    public static final int AMQP_PROXY_PORT = 5682;
    public static final int AMQP_PROXY_MOVED_PORT = 5685;

    public static final String INTERNAL_LISTENER = "internal";
    /**
     * Listener names the operator gives in the brokers' {@code advertisedListeners}: the in-cluster listener and the
     * Kafka handler's named listeners. A gateway's listener may not take one of them.
     */
    public static final String KAFKA_INTERNAL_LISTENER = "kafka_internal";
    public static final String KAFKA_SSL_LISTENER = "kafka_ssl";
    public static final String KAFKA_EXTERNAL_LISTENER = "kafka_external";
    public static final java.util.List<String> RESERVED_LISTENERS = java.util.List.of(INTERNAL_LISTENER,
            KAFKA_INTERNAL_LISTENER, KAFKA_SSL_LISTENER, KAFKA_EXTERNAL_LISTENER);
    public static final String KAFKA_CERTS_DIR = "/pulsar/certs/kafka";
    public static final String KAFKA_CERTS_VOLUME = "kafka-certs";
    public static final String KAFKA_KEYSTORE_PASSWORD_ENV = "KOP_SSL_KEYSTORE_PASSWORD";

    /** Keys the operator owns when protocol handlers are on; {@code config.custom} may not set them. */
    public static final List<String> OWNED_KEYS = List.of("messagingProtocols", "protocolHandlerDirectory",
            "kafkaListeners", "kafkaAdvertisedListeners", "kafkaProtocolMap", "kopSchemaRegistryEnable",
            "kopSchemaRegistryPort", "kopSslKeystoreType", "kopSslKeystoreLocation", "kopSslKeystorePassword",
            "kopSslKeyPassword", "mqttListeners", "mqttProxyEnabled", "mqttProxyPort", "mqttProxyListeners", "amqpListeners",
            "amqpProxyEnable", "amqpProxyPort");

    private BrokerProtocols() {
    }

    static ProtocolHandlers handlers(PulsarBroker pb) {
        BrokerConfig c = pb.getSpec().getConfig();
        return c != null && c.getProtocolHandlers() != null ? c.getProtocolHandlers() : new ProtocolHandlers();
    }

    public static boolean kafka(PulsarBroker pb) {
        ProtocolHandlers h = handlers(pb);
        return h.getKop() != null && Boolean.TRUE.equals(h.getKop().getEnabled());
    }

    public static boolean kafkaTls(PulsarBroker pb) {
        ProtocolHandlers h = handlers(pb);
        return kafka(pb) && h.getKop().getTls() != null && Boolean.TRUE.equals(h.getKop().getTls().getEnabled());
    }

    public static boolean schemaRegistry(PulsarBroker pb) {
        return kafka(pb) && Boolean.TRUE.equals(handlers(pb).getKop().getSchemaRegistryEnabled());
    }

    public static boolean mqtt(PulsarBroker pb) {
        ProtocolHandlers h = handlers(pb);
        return h.getMop() != null && Boolean.TRUE.equals(h.getMop().getEnabled());
    }

    public static boolean mqttProxy(PulsarBroker pb) {
        return mqtt(pb) && Boolean.TRUE.equals(handlers(pb).getMop().getProxyEnabled());
    }

    public static boolean amqp(PulsarBroker pb) {
        ProtocolHandlers h = handlers(pb);
        return h.getAop() != null && Boolean.TRUE.equals(h.getAop().getEnabled());
    }

    /** The AoP proxy's port: 5682, or 5685 when the MoP proxy already holds 5682. */
    public static int amqpProxyPort(PulsarBroker pb) {
        return mqttProxy(pb) ? AMQP_PROXY_MOVED_PORT : AMQP_PROXY_PORT;
    }

    /** Where MQTT clients behind the gateway land: the MoP proxy (which finds the topic's owner) if on, else MQTT. */
    public static int mqttBackendPort(PulsarBroker pb) {
        return mqttProxy(pb) ? MQTT_PROXY_PORT : MQTT_PORT;
    }

    /** Ports of the Services and the container, named for Istio's protocol selection. */
    public static List<ServicePort> servicePorts(PulsarBroker pb, BrokerGateway.Plan gateway) {
        List<ServicePort> ports = new ArrayList<>(PulsarServices.ports(BrokerModel.tlsEnabled(pb)));
        if (gateway != null) {
            ports.add(gateway.passthrough() ? Workloads.servicePort("tls-pulsar-ext", PULSAR_EXTERNAL_TLS_PORT)
                    : Workloads.servicePort("tcp-pulsar-ext", PULSAR_EXTERNAL_PORT));
        }
        if (kafka(pb)) {
            ports.add(Workloads.servicePort("tcp-kafka", KAFKA_PORT));
            if (kafkaTls(pb)) {
                ports.add(Workloads.servicePort("tls-kafka", KAFKA_TLS_PORT));
            }
            if (gateway != null) {
                ports.add(gateway.passthrough() ? Workloads.servicePort("tls-kafka-ext", KAFKA_EXTERNAL_TLS_PORT)
                        : Workloads.servicePort("tcp-kafka-ext", KAFKA_EXTERNAL_PORT));
            }
            if (schemaRegistry(pb)) {
                ports.add(Workloads.servicePort("http-schema", SCHEMA_REGISTRY_PORT));
            }
        }
        if (mqtt(pb)) {
            ports.add(Workloads.servicePort("tcp-mqtt", MQTT_PORT));
            if (mqttProxy(pb)) {
                ports.add(Workloads.servicePort("tcp-mqtt-proxy", MQTT_PROXY_PORT));
            }
        }
        if (amqp(pb)) {
            ports.add(Workloads.servicePort("tcp-amqp", AMQP_PORT));
            ports.add(Workloads.servicePort("tcp-amqp-proxy", amqpProxyPort(pb)));
        }
        return ports;
    }

    /**
     * A Kafka listener of KoP.
     *
     * @param name listener name: the security protocol without a gateway (PLAINTEXT, SSL), else a name of its own
     *        (kafka_internal, kafka_ssl, kafka_external) that KoP looks up in Pulsar's advertisedListeners
     * @param port the port it binds
     * @param protocol Kafka security protocol
     * @param external whether it is the gateway's listener
     */
    public record KafkaListener(String name, int port, String protocol, boolean external) {
    }

    /** KoP's listeners: plain text, SSL with {@code kop.tls}, and the gateway's. */
    public static List<KafkaListener> kafkaListeners(PulsarBroker pb, BrokerGateway.Plan gateway) {
        List<KafkaListener> out = new ArrayList<>();
        boolean named = gateway != null;
        out.add(new KafkaListener(named ? KAFKA_INTERNAL_LISTENER : "PLAINTEXT", KAFKA_PORT, "PLAINTEXT", false));
        if (kafkaTls(pb)) {
            out.add(new KafkaListener(named ? KAFKA_SSL_LISTENER : "SSL", KAFKA_TLS_PORT, "SSL", false));
        }
        if (gateway != null) {
            out.add(new KafkaListener(KAFKA_EXTERNAL_LISTENER,
                    gateway.passthrough() ? KAFKA_EXTERNAL_TLS_PORT : KAFKA_EXTERNAL_PORT,
                    gateway.passthrough() ? "SSL" : "PLAINTEXT", true));
        }
        return out;
    }

    /** Ports the brokers' own clients inside the cluster use (everything but the gateway-facing listeners). */
    public static List<Integer> clientPorts(PulsarBroker pb) {
        return servicePorts(pb, null).stream().map(ServicePort::getPort).toList();
    }

    /**
     * The protocol handler keys of broker.conf that are the same on every broker. The listeners that name the pod
     * ({@code kafkaAdvertisedListeners}) are added by the start script ({@link #perPodConfig}).
     */
    public static void putConfig(ConfigFile f, PulsarBroker pb, BrokerGateway.Plan gateway) {
        List<String> protocols = new ArrayList<>();
        if (kafka(pb)) {
            protocols.add("kafka");
        }
        if (mqtt(pb)) {
            protocols.add("mqtt");
        }
        if (amqp(pb)) {
            protocols.add("amqp");
        }
        if (protocols.isEmpty()) {
            return;
        }
        f.put("messagingProtocols", String.join(",", protocols)).put("protocolHandlerDirectory", "./protocols");
        if (kafka(pb)) {
            List<String> listeners = new ArrayList<>();
            List<String> map = new ArrayList<>();
            for (KafkaListener l : kafkaListeners(pb, gateway)) {
                listeners.add(l.name() + "://0.0.0.0:" + l.port());
                map.add(l.name() + ":" + l.protocol());
            }
            f.put("kafkaListeners", String.join(",", listeners))
                    // A protocol map switches KoP to named listeners, which it finds in advertisedListeners.
                    .put("kafkaProtocolMap", gateway != null ? String.join(",", map) : null)
                    // What KoP needs from the broker (its documented requirements).
                    .put("allowAutoTopicCreationType", "partitioned")
                    .put("brokerEntryMetadataInterceptors",
                            "org.apache.pulsar.common.intercept.AppendIndexMetadataInterceptor")
                    .put("brokerDeleteInactiveTopicsEnabled", "false");
            if (schemaRegistry(pb)) {
                f.put("kopSchemaRegistryEnable", "true").put("kopSchemaRegistryPort", SCHEMA_REGISTRY_PORT);
            }
            if (kafkaTls(pb)) {
                f.put("kopSslKeystoreType", "PKCS12").put("kopSslKeystoreLocation", KAFKA_CERTS_DIR + "/keystore.p12");
            }
        }
        if (mqtt(pb)) {
            ProtocolHandlers.Mop mop = handlers(pb).getMop();
            f.put("mqttListeners", "mqtt://0.0.0.0:" + MQTT_PORT)
                    .put("mqttProxyEnabled", mqttProxy(pb) ? "true" : "false")
                    .put("mqttAuthenticationEnabled", mop.getAuthenticationEnabled())
                    .put("mqttAuthorizationEnabled", mop.getAuthorizationEnabled());
            if (mop.getAuthenticationMethods() != null && !mop.getAuthenticationMethods().isEmpty()) {
                f.put("mqttAuthenticationMethods", String.join(",", mop.getAuthenticationMethods()));
            }
            if (mqttProxy(pb)) {
                // mqttProxyListeners for current MoP, mqttProxyPort for older releases.
                f.put("mqttProxyListeners", "mqtt://0.0.0.0:" + MQTT_PROXY_PORT).put("mqttProxyPort", MQTT_PROXY_PORT);
            }
        }
        if (amqp(pb)) {
            f.put("amqpListeners", "amqp://0.0.0.0:" + AMQP_PORT)
                    .put("amqpProxyEnable", "true")
                    .put("amqpProxyPort", amqpProxyPort(pb));
        }
    }

    /**
     * Lines of broker.conf that name this pod, as shell words evaluated by the start script: the Pulsar listeners
     * (internal, and the gateway's external one with the pod's own external host) and Kafka's advertised listeners.
     *
     * @param advertised shell expression of the pod's in-cluster address
     * @param externalHost shell expression of the pod's external host, or {@code null} without a gateway
     */
    public static List<String> perPodConfig(PulsarBroker pb, BrokerGateway.Plan gateway, String advertised,
            String externalHost) {
        List<String> lines = new ArrayList<>();
        lines.add("advertisedAddress=" + advertised);
        if (gateway != null) {
            List<String> listeners = new ArrayList<>();
            listeners.add(INTERNAL_LISTENER + ":pulsar://" + advertised + ":" + PulsarServices.PULSAR_PORT);
            if (BrokerModel.tlsEnabled(pb)) {
                listeners.add(INTERNAL_LISTENER + ":pulsar+ssl://" + advertised + ":" + PulsarServices.PULSAR_TLS_PORT);
            }
            listeners.add(gateway.listenerName() + ":pulsar+ssl://" + externalHost + ":" + BrokerGateway.PULSAR_GATEWAY_PORT);
            if (kafka(pb)) {
                // KoP's named listeners: a Pulsar lookup with the listener's name gives the address Kafka clients get
                // (always with the pulsar scheme).
                for (KafkaListener l : kafkaListeners(pb, gateway)) {
                    String host = l.external() ? externalHost : advertised;
                    int port = l.external() ? BrokerGateway.KAFKA_GATEWAY_PORT : l.port();
                    listeners.add(l.name() + ":pulsar://" + host + ":" + port);
                }
            }
            lines.add("internalListenerName=" + INTERNAL_LISTENER);
            lines.add("advertisedListeners=" + String.join(",", listeners));
            lines.add("bindAddresses=" + gateway.listenerName() + ":"
                    + (gateway.passthrough() ? "pulsar+ssl://0.0.0.0:" + PULSAR_EXTERNAL_TLS_PORT
                            : "pulsar://0.0.0.0:" + PULSAR_EXTERNAL_PORT));
        }
        if (kafka(pb)) {
            if (gateway == null) {
                // One listener per security protocol: KoP advertises them itself.
                List<String> advertisedKafka = new ArrayList<>();
                for (KafkaListener l : kafkaListeners(pb, null)) {
                    advertisedKafka.add(l.name() + "://" + advertised + ":" + l.port());
                }
                lines.add("kafkaAdvertisedListeners=" + String.join(",", advertisedKafka));
            }
            if (kafkaTls(pb)) {
                lines.add("kopSslKeystorePassword=${" + KAFKA_KEYSTORE_PASSWORD_ENV + "}");
                lines.add("kopSslKeyPassword=${" + KAFKA_KEYSTORE_PASSWORD_ENV + "}");
            }
        }
        return lines;
    }
}
