package io.pulsarmesh.operator.model.broker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRouteBuilder;
import io.fabric8.istio.api.api.networking.v1alpha3.Server;
import io.fabric8.istio.api.api.networking.v1alpha3.ServerBuilder;
import io.fabric8.istio.api.api.networking.v1alpha3.ServerTLSSettingsTLSmode;
import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryLocation;
import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryResolution;
import io.fabric8.istio.api.api.networking.v1alpha3.ServicePort;
import io.fabric8.istio.api.api.networking.v1alpha3.ServicePortBuilder;
import io.fabric8.istio.api.api.networking.v1alpha3.TCPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.TCPRouteBuilder;
import io.fabric8.istio.api.api.networking.v1alpha3.TLSRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.TLSRouteBuilder;
import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.istio.api.networking.v1.GatewayBuilder;
import io.fabric8.istio.api.networking.v1.ServiceEntry;
import io.fabric8.istio.api.networking.v1.ServiceEntryBuilder;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.networking.v1.VirtualServiceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioGateway;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.BrokerConfig;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBrokerStatus;
import io.pulsarmesh.operator.model.common.Meta;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.common.Names;
import io.pulsarmesh.operator.model.common.PulsarServices;
import io.pulsarmesh.operator.model.common.SpecProblem;
import io.pulsarmesh.operator.model.istio.Mesh;

/**
 * External access to the brokers through an Istio ingress gateway.
 *
 * <p>A Pulsar (or Kafka) lookup hands the client the address of the broker that owns the topic, so every broker must
 * be reachable from outside on a host of its own. The hosts are the cluster host {@code <domain>} and one host per
 * broker, by {@code config.serviceURLGenerationPolicy}:
 * <ul>
 * <li>{@code OrdinalPrefix}: {@code pb<ordinal>-<domain>} (e.g. {@code pb0-pulsar.example.com});</li>
 * <li>{@code NameUIDPrefix} (the default): {@code <name>-<uid8>-<ordinal>-<domain>}, where uid8 is the first 8
 * characters of the PulsarBroker's UID (unique when several clusters share a domain);</li>
 * <li>{@code FQDN}: {@code <name>-broker-<ordinal>.<domain>} (the pod name under the domain; needs
 * {@code *.<domain>} in DNS and the certificate).</li>
 * </ul>
 * The first two stay one label under the domain's parent, so one wildcard {@code *.<parent>} record and certificate
 * cover all of them.
 *
 * <p>Objects (all owned by the PulsarBroker; host lists follow {@code replicas}):
 * <ul>
 * <li>a Gateway {@code <name>-broker-gateway} selecting {@code gateway.selector} (default {@code istio: ingressgateway}),
 * unless {@code gateway.create: false} binds the routes to the existing {@code gateway.gateways};</li>
 * <li>a VirtualService {@code <name>-broker} for the cluster host, routed to the client Service, and one
 * {@code <name>-broker-<i>} per broker, routed to that broker's ServiceEntry;</li>
 * <li>a ServiceEntry {@code <name>-broker-<i>} per broker: its external host, {@code MESH_INTERNAL}, resolved to that one
 * pod by {@code statefulset.kubernetes.io/pod-name}.</li>
 * </ul>
 *
 * <p>{@code tls.mode: simple}: the gateway terminates TLS with {@code certSecretName} (a Secret in the gateway's
 * namespace). HTTP routes add {@code X-Pulsar-ListenerName}, so HTTP lookups answer with external hosts too. A TCP
 * route cannot match the SNI host after termination, so every host gets its own Gateway server on
 * each TLS port and its own VirtualService with plain TCP routes to the broker's plain-text external listener (Pulsar
 * 6652, Kafka 9094). HTTPS 443 is one server for all hosts; HTTP routes match on Host and go to 8080. MQTT (8883) and
 * AMQP (5671) have the cluster host only: the MoP and AoP proxies find the owning broker themselves.
 *
 * <p>{@code tls.mode: passthrough}: the brokers terminate TLS (with {@code spec.tls}, or the gateway's
 * {@code certSecretName} as their certificate; Kafka needs {@code kop.tls}); one server per port lists every host and TLS routes match the SNI host: Pulsar 6651 → 6653, HTTPS
 * 443 → 8443, Kafka 9093 → 9095. MQTT and AMQP are not exposed in this mode.
 */
public final class BrokerGateway {
    public static final int HTTPS_GATEWAY_PORT = 443;
    public static final int PULSAR_GATEWAY_PORT = 6651;
    public static final int KAFKA_GATEWAY_PORT = 9093;
    public static final int MQTT_GATEWAY_PORT = 8883;
    public static final int AMQP_GATEWAY_PORT = 5671;
    public static final String DEFAULT_LISTENER = "external";
    public static final Map<String, String> DEFAULT_SELECTOR = Map.of("istio", "ingressgateway");
    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    /** Request header that makes Pulsar's HTTP lookup answer with a listener's addresses. */
    public static final String LISTENER_HEADER = "X-Pulsar-ListenerName";

    public static final String MISSING_DOMAIN = "MissingAdvertisedDomain";
    public static final String PASSTHROUGH_NEEDS_TLS = "PassthroughNeedsBrokerTls";
    public static final String PASSTHROUGH_NEEDS_KOP_TLS = "PassthroughNeedsKafkaTls";
    public static final String KOP_TLS_INCOMPLETE = "KafkaTlsIncomplete";
    public static final String HOST_TOO_LONG = "HostNameTooLong";
    public static final String MULTIPLE_GATEWAYS = "MultipleGatewaysUnsupported";
    public static final String MISSING_GATEWAY_BINDING = "MissingGatewayBinding";
    public static final String LISTENER_NAME_CLASH = "ListenerNameClash";
    public static final String MISSING_GATEWAY_CERT = "MissingGatewayCertificate";

    /**
     * What the gateway block asks for, resolved.
     *
     * @param domain cluster host (gateway.advertisedDomain, else config.advertisedDomain)
     * @param passthrough the brokers terminate TLS
     * @param credentialName Secret the gateway terminates TLS with (simple)
     * @param listenerName Pulsar listener name of the external addresses
     * @param create whether the operator creates the Gateway
     * @param gatewayRefs Gateways the VirtualServices bind to
     * @param selector ingress gateway pods
     * @param policy serviceURLGenerationPolicy
     */
    public record Plan(String domain, boolean passthrough, String credentialName, String listenerName, boolean create,
            List<String> gatewayRefs, Map<String, String> selector, String policy) {
    }

    private BrokerGateway() {
    }

    /** The plan, or {@code null} when the broker has no gateway (or Istio is off). */
    public static Plan plan(PulsarBroker pb, Mesh mesh) {
        IstioGateway gw = mesh.gateway();
        if (gw == null) {
            return null;
        }
        BrokerConfig c = BrokerModel.brokerConfig(pb);
        String domain = !isBlank(gw.getAdvertisedDomain()) ? gw.getAdvertisedDomain() : c.getAdvertisedDomain();
        String mode = gw.getTls() != null && !isBlank(gw.getTls().getMode()) ? gw.getTls().getMode().toLowerCase(Locale.ROOT)
                : "passthrough";
        boolean create = !Boolean.FALSE.equals(gw.getCreate());
        List<String> refs = create ? List.of(gatewayName(pb)) : gw.getGateways() != null ? gw.getGateways() : List.of();
        Map<String, String> selector = gw.getSelector() != null && !gw.getSelector().isEmpty() ? gw.getSelector()
                : DEFAULT_SELECTOR;
        String policy = !isBlank(c.getServiceURLGenerationPolicy()) ? c.getServiceURLGenerationPolicy() : "NameUIDPrefix";
        return new Plan(domain, "passthrough".equals(mode), gw.getTls() != null ? gw.getTls().getCertSecretName() : null,
                !isBlank(gw.getListenerName()) ? gw.getListenerName() : DEFAULT_LISTENER, create, refs, selector, policy);
    }

    /**
     * The ports the ingress gateway's Service must expose for the Gateway this broker gets, each with what needs it:
     * the ports of {@link #gateway}'s servers (Istio binds a Gateway server to the gateway Service's port of that
     * number, and listens on its target port, usually 8443 for 443).
     */
    public static Map<Integer, String> requiredServicePorts(PulsarBroker pb, Plan plan) {
        Map<Integer, String> ports = new java.util.LinkedHashMap<>();
        ports.put(HTTPS_GATEWAY_PORT, "HTTPS (the web service)");
        ports.put(PULSAR_GATEWAY_PORT, "Pulsar over TLS");
        if (BrokerProtocols.kafka(pb)) {
            ports.put(KAFKA_GATEWAY_PORT, "Kafka (KoP)");
        }
        if (!plan.passthrough() && BrokerProtocols.mqtt(pb)) {
            ports.put(MQTT_GATEWAY_PORT, "MQTT (MoP)");
        }
        if (!plan.passthrough() && BrokerProtocols.amqp(pb)) {
            ports.put(AMQP_GATEWAY_PORT, "AMQP (AoP)");
        }
        return ports;
    }

    /** Problems with the gateway block that the schema cannot catch. */
    public static List<SpecProblem> validate(PulsarBroker pb, Mesh mesh) {
        List<SpecProblem> problems = new ArrayList<>();
        if (!mesh.enabled()) {
            return problems;
        }
        if (mesh.gateways().size() > 1) {
            problems.add(new SpecProblem(MULTIPLE_GATEWAYS, "spec.istio.gateways",
                    "only one gateway per PulsarBroker is supported (" + mesh.gateways().size()
                            + " are listed); keep one entry, or use spec.istio.gateway"));
            return problems;
        }
        Plan plan = plan(pb, mesh);
        if (plan == null) {
            return problems;
        }
        if (isBlank(plan.domain())) {
            problems.add(new SpecProblem(MISSING_DOMAIN, "spec.config.advertisedDomain",
                    "a gateway needs the external domain: set spec.config.advertisedDomain (for example "
                            + "pulsar.example.com) or spec.istio.gateway.advertisedDomain"));
            return problems;
        }
        if (!plan.create() && plan.gatewayRefs().isEmpty()) {
            problems.add(new SpecProblem(MISSING_GATEWAY_BINDING, "spec.istio.gateway.gateways",
                    "gateway.create is false but gateway.gateways names no existing Gateway (namespace/name) to bind to"));
        }
        if (BrokerProtocols.RESERVED_LISTENERS.contains(plan.listenerName())) {
            // Two listeners of one name in advertisedListeners stop the broker at start.
            problems.add(new SpecProblem(LISTENER_NAME_CLASH, "spec.istio.gateway.listenerName",
                    "listener name " + plan.listenerName() + " is one the operator gives "
                            + (BrokerProtocols.INTERNAL_LISTENER.equals(plan.listenerName())
                                    ? "the brokers' in-cluster listener"
                                    : "a listener of the Kafka protocol handler")
                            + " (reserved: " + String.join(", ", BrokerProtocols.RESERVED_LISTENERS)
                            + "); choose another name"));
        }
        if (!plan.passthrough() && plan.create() && isBlank(plan.credentialName())) {
            // Istio refuses a SIMPLE server without a credential, so the Gateway could not be applied.
            problems.add(new SpecProblem(MISSING_GATEWAY_CERT, "spec.istio.gateway.tls.certSecretName",
                    "gateway TLS mode simple terminates TLS at the ingress gateway: set "
                            + "spec.istio.gateway.tls.certSecretName to a TLS Secret in the gateway's namespace"));
        }
        if (plan.passthrough() && !BrokerModel.tlsEnabled(pb)) {
            problems.add(new SpecProblem(PASSTHROUGH_NEEDS_TLS, "spec.tls",
                    "gateway TLS mode passthrough (the default) leaves TLS to the brokers: set spec.tls.enabled with "
                            + "certSecretName, or spec.istio.gateway.tls.certSecretName (a Secret in the brokers' "
                            + "namespace), or set spec.istio.gateway.tls.mode: simple with certSecretName"));
        }
        if (plan.passthrough() && BrokerProtocols.kafka(pb) && !BrokerProtocols.kafkaTls(pb)) {
            problems.add(new SpecProblem(PASSTHROUGH_NEEDS_KOP_TLS, "spec.config.protocolHandlers.kop.tls",
                    "Kafka behind a passthrough gateway needs kop.tls.enabled with certSecretName and "
                            + "passwordSecretRef (the brokers terminate Kafka TLS)"));
        }
        for (int i = 0; i < BrokerModel.replicas(pb); i++) {
            String host = host(pb, plan, i);
            String first = host.substring(0, host.indexOf('.') < 0 ? host.length() : host.indexOf('.'));
            if (first.length() > 63 || host.length() > 253) {
                problems.add(new SpecProblem(HOST_TOO_LONG, "spec.config.serviceURLGenerationPolicy",
                        "the external host " + host + " of broker " + i + " is not a valid DNS name (a label has at "
                                + "most 63 characters, a name 253); use a shorter domain or name, or OrdinalPrefix"));
                break;
            }
        }
        return problems;
    }

    /** Problems with {@code kop.tls} itself (also without a gateway). */
    public static List<SpecProblem> validateKafkaTls(PulsarBroker pb) {
        if (!BrokerProtocols.kafkaTls(pb)) {
            return List.of();
        }
        var tls = BrokerProtocols.handlers(pb).getKop().getTls();
        if (isBlank(tls.getCertSecretName()) || tls.getPasswordSecretRef() == null
                || isBlank(tls.getPasswordSecretRef().getName()) || isBlank(tls.getPasswordSecretRef().getKey())) {
            return List.of(new SpecProblem(KOP_TLS_INCOMPLETE, "spec.config.protocolHandlers.kop.tls",
                    "kop.tls.enabled needs certSecretName (a Secret with keystore.p12) and passwordSecretRef "
                            + "(name and key of the keystore password)"));
        }
        return List.of();
    }

    /** Name of the Gateway the operator creates. */
    public static String gatewayName(PulsarBroker pb) {
        return Names.broker(pb.getMetadata().getName()) + "-gateway";
    }

    /** First 8 characters of the broker's UID; zeros before it has one (as in {@code render}). */
    static String uid8(PulsarBroker pb) {
        String uid = pb.getMetadata().getUid();
        String compact = uid == null ? "" : uid.replace("-", "");
        return compact.length() >= 8 ? compact.substring(0, 8).toLowerCase(Locale.ROOT) : "00000000";
    }

    /** External host of broker {@code ordinal}. */
    public static String host(PulsarBroker pb, Plan plan, int ordinal) {
        return host(pb, plan, String.valueOf(ordinal));
    }

    /** The same host as a shell expression of the pod's own ordinal ({@code ${ordinal}}). */
    public static String hostExpression(PulsarBroker pb, Plan plan) {
        return host(pb, plan, "${ordinal}");
    }

    /** The host format of each policy, for an ordinal given as a number or a shell expression. */
    private static String host(PulsarBroker pb, Plan plan, String ordinal) {
        String name = pb.getMetadata().getName();
        return switch (plan.policy()) {
            case "OrdinalPrefix" -> "pb" + ordinal + "-" + plan.domain();
            case "FQDN" -> Names.broker(name) + "-" + ordinal + "." + plan.domain();
            default -> name + "-" + uid8(pb) + "-" + ordinal + "-" + plan.domain();
        };
    }

    public static List<String> hosts(PulsarBroker pb, Plan plan) {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < BrokerModel.replicas(pb); i++) {
            hosts.add(host(pb, plan, i));
        }
        return hosts;
    }

    /** Where external clients reach the cluster. */
    public static PulsarBrokerStatus.Endpoint externalEndpoint(PulsarBroker pb, Plan plan) {
        PulsarBrokerStatus.Endpoint e = new PulsarBrokerStatus.Endpoint(
                "pulsar+ssl://" + plan.domain() + ":" + PULSAR_GATEWAY_PORT, "https://" + plan.domain());
        if (BrokerProtocols.kafka(pb)) {
            e.setKafkaBootstrapServers(plan.domain() + ":" + KAFKA_GATEWAY_PORT);
        }
        if (!plan.passthrough() && BrokerProtocols.mqtt(pb)) {
            e.setMqttServiceURL("mqtts://" + plan.domain() + ":" + MQTT_GATEWAY_PORT);
        }
        if (!plan.passthrough() && BrokerProtocols.amqp(pb)) {
            e.setAmqpServiceURL("amqps://" + plan.domain() + ":" + AMQP_GATEWAY_PORT);
        }
        return e;
    }

    /** Gateway (when created), VirtualServices and ServiceEntries, with the default ingress gateway identity. */
    public static List<HasMetadata> objects(PulsarBroker pb, Plan plan, Map<String, String> labels) {
        return objects(pb, plan, labels, gatewayNamespaces(ModelSettings.MeshIdentities.defaults().ingressGateways()));
    }

    /** Namespaces of the ingress gateways ({@code namespace/serviceaccount} identities). */
    public static List<String> gatewayNamespaces(List<String> identities) {
        return identities.stream().filter(id -> id.indexOf('/') > 0).map(id -> id.substring(0, id.indexOf('/')))
                .distinct().sorted().toList();
    }

    /**
     * Gateway (when created), VirtualServices and ServiceEntries. The ServiceEntries are exported only to
     * {@code exportTo} (the ingress gateways' namespaces): they claim the external listener ports without addresses,
     * which other sidecars must not see.
     */
    public static List<HasMetadata> objects(PulsarBroker pb, Plan plan, Map<String, String> labels,
            List<String> exportTo) {
        List<HasMetadata> out = new ArrayList<>();
        List<String> hosts = hosts(pb, plan);
        if (plan.create()) {
            out.add(gateway(pb, plan, hosts, labels));
        }
        String service = Names.serviceFqdn(Names.broker(pb.getMetadata().getName()), pb.getMetadata().getNamespace());
        out.add(virtualService(pb, plan, Names.broker(pb.getMetadata().getName()), plan.domain(), service, true, labels));
        for (int i = 0; i < hosts.size(); i++) {
            String podName = Names.broker(pb.getMetadata().getName()) + "-" + i;
            out.add(virtualService(pb, plan, podName, hosts.get(i), hosts.get(i), false, labels));
            out.add(serviceEntry(pb, plan, podName, hosts.get(i), labels, exportTo));
        }
        return out;
    }

    static Gateway gateway(PulsarBroker pb, Plan plan, List<String> brokerHosts, Map<String, String> labels) {
        List<String> all = new ArrayList<>();
        all.add(plan.domain());
        all.addAll(brokerHosts);
        List<Server> servers = new ArrayList<>();
        if (plan.passthrough()) {
            servers.add(server("https", HTTPS_GATEWAY_PORT, "TLS", all, plan));
            servers.add(server("tls-pulsar", PULSAR_GATEWAY_PORT, "TLS", all, plan));
            if (BrokerProtocols.kafka(pb)) {
                servers.add(server("tls-kafka", KAFKA_GATEWAY_PORT, "TLS", all, plan));
            }
        } else {
            servers.add(server("https", HTTPS_GATEWAY_PORT, "HTTPS", all, plan));
            // One server per host: after termination TCP routes cannot tell hosts apart, filter chains can.
            // Istio wants unique port names across servers: the cluster host's, then -<ordinal> per broker.
            for (int i = 0; i < all.size(); i++) {
                servers.add(server(i == 0 ? "tls-pulsar" : "tls-pulsar-" + (i - 1), PULSAR_GATEWAY_PORT, "TLS",
                        List.of(all.get(i)), plan));
            }
            if (BrokerProtocols.kafka(pb)) {
                for (int i = 0; i < all.size(); i++) {
                    servers.add(server(i == 0 ? "tls-kafka" : "tls-kafka-" + (i - 1), KAFKA_GATEWAY_PORT, "TLS",
                            List.of(all.get(i)), plan));
                }
            }
            if (BrokerProtocols.mqtt(pb)) {
                servers.add(server("tls-mqtt", MQTT_GATEWAY_PORT, "TLS", List.of(plan.domain()), plan));
            }
            if (BrokerProtocols.amqp(pb)) {
                servers.add(server("tls-amqp", AMQP_GATEWAY_PORT, "TLS", List.of(plan.domain()), plan));
            }
        }
        return new GatewayBuilder()
                .withMetadata(Meta.owned(pb, gatewayName(pb), labels))
                .withNewSpec().withSelector(new LinkedHashMap<>(plan.selector())).withServers(servers).endSpec()
                .build();
    }

    static Server server(String portName, int port, String protocol, List<String> hosts, Plan plan) {
        ServerBuilder b = new ServerBuilder()
                .withNewPort().withNumber((long) port).withName(portName).withProtocol(protocol).endPort()
                .withHosts(hosts);
        if (plan.passthrough()) {
            b.withNewTls().withMode(ServerTLSSettingsTLSmode.PASSTHROUGH).endTls();
        } else {
            b.withNewTls().withMode(ServerTLSSettingsTLSmode.SIMPLE).withCredentialName(plan.credentialName()).endTls();
        }
        return b.build();
    }

    /**
     * Routes of one host. {@code destination} is the client Service for the cluster host (which also carries MQTT and
     * AMQP), the broker's ServiceEntry host otherwise.
     */
    static VirtualService virtualService(PulsarBroker pb, Plan plan, String name, String host, String destination,
            boolean clusterHost, Map<String, String> labels) {
        List<TCPRoute> tcp = new ArrayList<>();
        List<TLSRoute> tls = new ArrayList<>();
        List<HTTPRoute> http = new ArrayList<>();
        if (plan.passthrough()) {
            tls.add(tlsRoute(host, HTTPS_GATEWAY_PORT, destination, PulsarServices.WEB_TLS_PORT));
            tls.add(tlsRoute(host, PULSAR_GATEWAY_PORT, destination, BrokerProtocols.PULSAR_EXTERNAL_TLS_PORT));
            if (BrokerProtocols.kafka(pb)) {
                tls.add(tlsRoute(host, KAFKA_GATEWAY_PORT, destination, BrokerProtocols.KAFKA_EXTERNAL_TLS_PORT));
            }
        } else {
            // HTTP lookups through the gateway answer with the external listener's addresses.
            http.add(new HTTPRouteBuilder().addNewMatch().withPort((long) HTTPS_GATEWAY_PORT).endMatch()
                    .withNewHeaders().withNewRequest().addToSet(LISTENER_HEADER, plan.listenerName()).endRequest()
                    .endHeaders()
                    .addNewRoute().withNewDestination().withHost(destination).withNewPort()
                    .withNumber((long) PulsarServices.WEB_PORT).endPort().endDestination().endRoute().build());
            tcp.add(tcpRoute(PULSAR_GATEWAY_PORT, destination, BrokerProtocols.PULSAR_EXTERNAL_PORT));
            if (BrokerProtocols.kafka(pb)) {
                tcp.add(tcpRoute(KAFKA_GATEWAY_PORT, destination, BrokerProtocols.KAFKA_EXTERNAL_PORT));
            }
            if (clusterHost && BrokerProtocols.mqtt(pb)) {
                tcp.add(tcpRoute(MQTT_GATEWAY_PORT, destination, BrokerProtocols.mqttBackendPort(pb)));
            }
            if (clusterHost && BrokerProtocols.amqp(pb)) {
                tcp.add(tcpRoute(AMQP_GATEWAY_PORT, destination, BrokerProtocols.amqpProxyPort(pb)));
            }
        }
        return new VirtualServiceBuilder()
                .withMetadata(Meta.owned(pb, name, labels))
                .withNewSpec().withHosts(host).withGateways(plan.gatewayRefs())
                .withHttp(http.isEmpty() ? null : http)
                .withTcp(tcp.isEmpty() ? null : tcp)
                .withTls(tls.isEmpty() ? null : tls)
                .endSpec()
                .build();
    }

    static TCPRoute tcpRoute(int gatewayPort, String host, int port) {
        return new TCPRouteBuilder().addNewMatch().withPort((long) gatewayPort).endMatch()
                .addNewRoute().withNewDestination().withHost(host).withNewPort().withNumber((long) port).endPort()
                .endDestination().endRoute().build();
    }

    static TLSRoute tlsRoute(String sniHost, int gatewayPort, String host, int port) {
        return new TLSRouteBuilder().addNewMatch().withPort((long) gatewayPort).withSniHosts(sniHost).endMatch()
                .addNewRoute().withNewDestination().withHost(host).withNewPort().withNumber((long) port).endPort()
                .endDestination().endRoute().build();
    }

    /** The external host of one broker, as a mesh service whose only endpoint is that broker's pod. */
    static ServiceEntry serviceEntry(PulsarBroker pb, Plan plan, String podName, String host, Map<String, String> labels,
            List<String> exportTo) {
        List<ServicePort> ports = new ArrayList<>();
        if (plan.passthrough()) {
            ports.add(sePort("tls-pulsar-ext", BrokerProtocols.PULSAR_EXTERNAL_TLS_PORT, "TLS"));
            ports.add(sePort("https-web", PulsarServices.WEB_TLS_PORT, "TLS"));
            if (BrokerProtocols.kafka(pb)) {
                ports.add(sePort("tls-kafka-ext", BrokerProtocols.KAFKA_EXTERNAL_TLS_PORT, "TLS"));
            }
        } else {
            ports.add(sePort("tcp-pulsar-ext", BrokerProtocols.PULSAR_EXTERNAL_PORT, "TCP"));
            ports.add(sePort("http-web", PulsarServices.WEB_PORT, "HTTP"));
            if (BrokerProtocols.kafka(pb)) {
                ports.add(sePort("tcp-kafka-ext", BrokerProtocols.KAFKA_EXTERNAL_PORT, "TCP"));
            }
        }
        Map<String, String> selector = new LinkedHashMap<>(BrokerModel.selector(pb));
        selector.put(POD_NAME_LABEL, podName);
        return new ServiceEntryBuilder()
                .withMetadata(Meta.owned(pb, podName, labels))
                .withNewSpec().withHosts(host).withLocation(ServiceEntryLocation.MESH_INTERNAL)
                .withResolution(ServiceEntryResolution.STATIC).withPorts(ports)
                .withExportTo(exportTo.isEmpty() ? null : exportTo)
                .withNewWorkloadSelector().withLabels(selector).endWorkloadSelector()
                .endSpec()
                .build();
    }

    static ServicePort sePort(String name, int port, String protocol) {
        return new ServicePortBuilder().withName(name).withNumber((long) port).withProtocol(protocol)
                .withTargetPort((long) port).build();
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
