package io.pulsarmesh.operator.model.broker;

import static io.pulsarmesh.operator.model.broker.MeshBrokers.amqp;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.broker;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.config;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.find;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.gateway;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.kafka;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.kafkaTls;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.mesh;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.mqtt;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.passthrough;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.plan;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.simple;
import static io.pulsarmesh.operator.model.broker.MeshBrokers.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.model.common.ConfigFile;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.common.Scripts;
import io.pulsarmesh.operator.model.common.SpecProblem;

class BrokerProtocolsTest {
    static final String POD_FQDN = "pc-broker-2.pc-broker-headless.pulsar.svc.cluster.local";
    /** Names Istio reads the protocol from, and that Kubernetes accepts as container port names (IANA_SVC_NAME). */
    static final String PORT_NAME = "^(tcp|tls|http|https)-[a-z0-9]+(-[a-z0-9]+)*$";

    /** A broker for a scenario word list: tls, simple, passthrough, kafka, kafka-tls, schema, mqtt, mqtt-proxy, amqp. */
    static PulsarBroker scenario(String words) {
        Set<String> w = Set.of(words.trim().split("\\s+"));
        PulsarBroker pb = w.contains("simple") ? simple(3) : w.contains("passthrough") ? passthrough(3) : broker(3);
        if (w.contains("tls")) {
            tls(pb);
        }
        if (w.contains("kafka")) {
            kafka(pb);
        }
        if (w.contains("kafka-tls")) {
            kafkaTls(pb);
        }
        if (w.contains("schema")) {
            (MeshBrokers.handlers(pb).getKop() != null ? MeshBrokers.handlers(pb).getKop() : kafka(pb))
                    .setSchemaRegistryEnabled(true);
        }
        if (w.contains("mqtt")) {
            mqtt(pb, false);
        }
        if (w.contains("mqtt-proxy")) {
            mqtt(pb, true);
        }
        if (w.contains("amqp")) {
            amqp(pb);
        }
        return pb;
    }

    static String ports(List<ServicePort> ports) {
        return ports.stream().map(p -> p.getName() + ":" + p.getPort()).collect(Collectors.joining(" "));
    }

    static Container container(PulsarBroker pb) {
        StatefulSet sts = find(BrokerModel.desired(pb, ModelSettings.defaults(), mesh(pb)), StatefulSet.class,
                "pc-broker");
        return sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    // Ports

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "plain                   | tcp-pulsar:6650 http-web:8080",
            "tls                     | tcp-pulsar:6650 http-web:8080 tls-pulsar:6651 https-web:8443",
            "simple                  | tcp-pulsar:6650 http-web:8080 tcp-pulsar-ext:6652",
            "passthrough             | tcp-pulsar:6650 http-web:8080 tls-pulsar:6651 https-web:8443 tls-pulsar-ext:6653",
            "kafka                   | tcp-pulsar:6650 http-web:8080 tcp-kafka:9092",
            "kafka-tls               | tcp-pulsar:6650 http-web:8080 tcp-kafka:9092 tls-kafka:9093",
            "simple kafka            | tcp-pulsar:6650 http-web:8080 tcp-pulsar-ext:6652 tcp-kafka:9092 tcp-kafka-ext:9094",
            "passthrough kafka-tls   | tcp-pulsar:6650 http-web:8080 tls-pulsar:6651 https-web:8443 tls-pulsar-ext:6653 "
                    + "tcp-kafka:9092 tls-kafka:9093 tls-kafka-ext:9095",
            "schema                  | tcp-pulsar:6650 http-web:8080 tcp-kafka:9092 http-schema:8001",
            "mqtt                    | tcp-pulsar:6650 http-web:8080 tcp-mqtt:1883",
            "mqtt-proxy              | tcp-pulsar:6650 http-web:8080 tcp-mqtt:1883 tcp-mqtt-proxy:5682",
            "amqp                    | tcp-pulsar:6650 http-web:8080 tcp-amqp:5672 tcp-amqp-proxy:5682",
            "mqtt amqp               | tcp-pulsar:6650 http-web:8080 tcp-mqtt:1883 tcp-amqp:5672 tcp-amqp-proxy:5682",
            "mqtt-proxy amqp         | tcp-pulsar:6650 http-web:8080 tcp-mqtt:1883 tcp-mqtt-proxy:5682 tcp-amqp:5672 "
                    + "tcp-amqp-proxy:5685",
    })
    void servicePortsPerProtocol(String words, String expected) {
        PulsarBroker pb = scenario(words);
        assertEquals(expected, ports(BrokerProtocols.servicePorts(pb, plan(pb))));
        assertEquals(expected, ports(BrokerModel.clientService(pb, mesh(pb)).getSpec().getPorts()));
        assertEquals(expected, ports(BrokerModel.headlessService(pb, mesh(pb)).getSpec().getPorts()));
        for (ServicePort p : BrokerProtocols.servicePorts(pb, plan(pb))) {
            assertEquals(p.getName().substring(0, p.getName().indexOf('-')), p.getAppProtocol(), p.getName());
            assertEquals(p.getPort(), p.getTargetPort().getIntVal());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "plain", "simple tls kafka-tls schema mqtt-proxy amqp",
            "passthrough kafka-tls schema mqtt-proxy amqp", "simple kafka mqtt amqp" })
    void portNamesAreIstioProtocolsAndValidContainerPortNames(String words) {
        PulsarBroker pb = scenario(words);
        List<ServicePort> service = BrokerModel.clientService(pb, mesh(pb)).getSpec().getPorts();
        List<ContainerPort> container = container(pb).getPorts();
        assertEquals(service.size(), container.size());
        Set<String> names = new HashSet<>();
        Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < service.size(); i++) {
            ContainerPort c = container.get(i);
            assertTrue(c.getName().length() <= 15, c.getName());
            assertTrue(c.getName().matches(PORT_NAME), c.getName());
            assertEquals(service.get(i).getName(), c.getName(), "no name was cut to fit");
            assertEquals(service.get(i).getPort(), c.getContainerPort());
            assertTrue(names.add(c.getName()), "unique name " + c.getName());
            assertTrue(numbers.add(c.getContainerPort()), "unique port " + c.getContainerPort());
        }
    }

    @Test
    void clientPortsLeaveOutTheGatewayListeners() {
        PulsarBroker pb = scenario("passthrough kafka-tls");
        assertEquals(List.of(6650, 8080, 6651, 8443, 9092, 9093), BrokerProtocols.clientPorts(pb));
        PulsarBroker simple = scenario("simple kafka");
        assertEquals(List.of(6650, 8080, 9092), BrokerProtocols.clientPorts(simple));
    }

    @Test
    void amqpProxyMovesOnlyWhenTheMqttProxyHoldsItsPort() {
        assertEquals(5682, BrokerProtocols.amqpProxyPort(scenario("amqp")));
        assertEquals(5682, BrokerProtocols.amqpProxyPort(scenario("mqtt amqp")));
        assertEquals(5685, BrokerProtocols.amqpProxyPort(scenario("mqtt-proxy amqp")));
        assertEquals(1883, BrokerProtocols.mqttBackendPort(scenario("mqtt")));
        assertEquals(5682, BrokerProtocols.mqttBackendPort(scenario("mqtt-proxy")));
    }

    // broker.conf

    @Test
    void noProtocolHandlerKeysWithoutHandlers() {
        ConfigFile f = BrokerModel.config(scenario("simple"), mesh(scenario("simple")));
        for (String key : BrokerProtocols.OWNED_KEYS) {
            assertNull(f.get(key), key);
        }
        assertNull(f.get("allowAutoTopicCreationType"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // Without a gateway, listeners named by their security protocol and no map (KoP's single-listener mode).
            "kafka                 | PLAINTEXT://0.0.0.0:9092 "
                    + "| ",
            "kafka-tls             | PLAINTEXT://0.0.0.0:9092,SSL://0.0.0.0:9093 "
                    + "| ",
            // With a gateway, named listeners and a map: KoP then finds each listener in advertisedListeners.
            "simple kafka          | kafka_internal://0.0.0.0:9092,kafka_external://0.0.0.0:9094 "
                    + "| kafka_internal:PLAINTEXT,kafka_external:PLAINTEXT",
            "simple kafka-tls      | kafka_internal://0.0.0.0:9092,kafka_ssl://0.0.0.0:9093,kafka_external://0.0.0.0:9094 "
                    + "| kafka_internal:PLAINTEXT,kafka_ssl:SSL,kafka_external:PLAINTEXT",
            "passthrough kafka-tls | kafka_internal://0.0.0.0:9092,kafka_ssl://0.0.0.0:9093,kafka_external://0.0.0.0:9095 "
                    + "| kafka_internal:PLAINTEXT,kafka_ssl:SSL,kafka_external:SSL",
    })
    void kafkaListenersAndProtocolMap(String words, String listeners, String protocolMap) {
        PulsarBroker pb = scenario(words);
        ConfigFile f = BrokerModel.config(pb, mesh(pb));
        assertEquals("kafka", f.get("messagingProtocols"));
        assertEquals("./protocols", f.get("protocolHandlerDirectory"));
        assertEquals(listeners, f.get("kafkaListeners"));
        assertEquals(protocolMap, f.get("kafkaProtocolMap"));
        assertEquals("partitioned", f.get("allowAutoTopicCreationType"));
        assertEquals("org.apache.pulsar.common.intercept.AppendIndexMetadataInterceptor",
                f.get("brokerEntryMetadataInterceptors"));
        assertEquals("false", f.get("brokerDeleteInactiveTopicsEnabled"));
        assertNull(f.get("kafkaAdvertisedListeners"), "per pod: the start script adds it");
        assertNull(f.get("kopSchemaRegistryEnable"));
        if (protocolMap == null) {
            return;
        }
        // Every listener has a protocol, and each name is used once.
        List<String> names = List.of(listeners.split(",")).stream().map(l -> l.substring(0, l.indexOf(':'))).toList();
        assertEquals(names, List.of(protocolMap.split(",")).stream().map(m -> m.substring(0, m.indexOf(':'))).toList());
        assertEquals(names.size(), new HashSet<>(names).size());
    }

    @Test
    void kafkaTlsKeystoreAndSchemaRegistry() {
        PulsarBroker pb = scenario("kafka-tls schema");
        ConfigFile f = BrokerModel.config(pb, mesh(pb));
        assertEquals("true", f.get("kopSchemaRegistryEnable"));
        assertEquals("8001", f.get("kopSchemaRegistryPort"));
        assertEquals("PKCS12", f.get("kopSslKeystoreType"));
        assertEquals("/pulsar/certs/kafka/keystore.p12", f.get("kopSslKeystoreLocation"));
        assertNull(f.get("kopSslKeystorePassword"), "a secret: set from the environment by the start script");

        Container c = container(pb);
        EnvVar password = c.getEnv().get(0);
        assertEquals("KOP_SSL_KEYSTORE_PASSWORD", password.getName());
        assertEquals("kafka-keystore-password", password.getValueFrom().getSecretKeyRef().getName());
        assertEquals("password", password.getValueFrom().getSecretKeyRef().getKey());
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("kafka-certs")
                && m.getMountPath().equals("/pulsar/certs/kafka") && m.getReadOnly()));
        StatefulSet sts = find(BrokerModel.desired(pb, ModelSettings.defaults(), mesh(pb)), StatefulSet.class,
                "pc-broker");
        Volume v = sts.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(x -> x.getName().equals("kafka-certs")).findFirst().orElseThrow();
        assertEquals("kafka-keystore", v.getSecret().getSecretName());
    }

    @Test
    void mqttKeys() {
        PulsarBroker pb = scenario("mqtt");
        var mop = MeshBrokers.handlers(pb).getMop();
        mop.setAuthenticationEnabled(true);
        mop.setAuthenticationMethods(List.of("token", "basic"));
        mop.setAuthorizationEnabled(false);
        ConfigFile f = BrokerModel.config(pb, mesh(pb));
        assertEquals("mqtt", f.get("messagingProtocols"));
        assertEquals("mqtt://0.0.0.0:1883", f.get("mqttListeners"));
        assertEquals("false", f.get("mqttProxyEnabled"));
        assertNull(f.get("mqttProxyPort"));
        assertEquals("true", f.get("mqttAuthenticationEnabled"));
        assertEquals("token,basic", f.get("mqttAuthenticationMethods"));
        assertEquals("false", f.get("mqttAuthorizationEnabled"));
        assertNull(f.get("kafkaListeners"));

        ConfigFile proxy = BrokerModel.config(scenario("mqtt-proxy"), mesh(scenario("mqtt-proxy")));
        assertEquals("true", proxy.get("mqttProxyEnabled"));
        assertEquals("5682", proxy.get("mqttProxyPort"));
        assertNull(proxy.get("mqttAuthenticationEnabled"));
        assertNull(proxy.get("mqttAuthenticationMethods"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "amqp            | amqp           | 5682",
            "mqtt amqp       | mqtt,amqp      | 5682",
            "mqtt-proxy amqp | mqtt,amqp      | 5685",
            "kafka mqtt amqp | kafka,mqtt,amqp | 5682",
    })
    void amqpKeysAndMessagingProtocols(String words, String protocols, String proxyPort) {
        PulsarBroker pb = scenario(words);
        ConfigFile f = BrokerModel.config(pb, mesh(pb));
        assertEquals(protocols, f.get("messagingProtocols"));
        assertEquals("amqp://0.0.0.0:5672", f.get("amqpListeners"));
        assertEquals("true", f.get("amqpProxyEnable"));
        assertEquals(proxyPort, f.get("amqpProxyPort"));
        if (f.get("mqttProxyPort") != null) {
            assertFalse(f.get("mqttProxyPort").equals(f.get("amqpProxyPort")), "the two proxies never share a port");
        }
    }

    @Test
    void protocolKeysCannotBeOverridden() {
        PulsarBroker pb = scenario("kafka amqp");
        config(pb).setCustom(Map.of("kafkaListeners", "x", "PULSAR_PREFIX_amqpProxyPort", "1", "kafkaTenant", "t"));
        List<SpecProblem> problems = BrokerModel.validate(pb, mesh(pb));
        assertEquals(List.of("spec.config.custom.PULSAR_PREFIX_amqpProxyPort", "spec.config.custom.kafkaListeners"),
                problems.stream().map(SpecProblem::field).toList());
        assertTrue(problems.stream().allMatch(p -> p.reason().equals(SpecProblem.RESERVED_CONFIG_KEY)));
    }

    // Per-pod lines

    @Test
    void withoutGatewayOnlyTheAdvertisedAddress() {
        assertEquals(List.of("advertisedAddress=A"), BrokerProtocols.perPodConfig(scenario("tls"), null, "A", null));
        assertEquals(List.of("advertisedAddress=A", "kafkaAdvertisedListeners=PLAINTEXT://A:9092"),
                BrokerProtocols.perPodConfig(scenario("kafka"), null, "A", null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "simple                | internal:pulsar://A:6650,external:pulsar+ssl://E:6651 "
                    + "| external:pulsar://0.0.0.0:6652",
            "simple tls            | internal:pulsar://A:6650,internal:pulsar+ssl://A:6651,external:pulsar+ssl://E:6651 "
                    + "| external:pulsar://0.0.0.0:6652",
            "passthrough           | internal:pulsar://A:6650,internal:pulsar+ssl://A:6651,external:pulsar+ssl://E:6651 "
                    + "| external:pulsar+ssl://0.0.0.0:6653",
    })
    void pulsarListenersBehindAGateway(String words, String advertisedListeners, String bindAddresses) {
        PulsarBroker pb = scenario(words);
        List<String> lines = BrokerProtocols.perPodConfig(pb, plan(pb), "A", "E");
        assertEquals(List.of("advertisedAddress=A", "internalListenerName=internal",
                "advertisedListeners=" + advertisedListeners, "bindAddresses=" + bindAddresses), lines);
        assertListenersAreConsistent(lines);
    }

    @Test
    void customListenerName() {
        PulsarBroker pb = scenario("simple");
        gateway(pb).setListenerName("edge");
        List<String> lines = BrokerProtocols.perPodConfig(pb, plan(pb), "A", "E");
        assertTrue(lines.contains("advertisedListeners=internal:pulsar://A:6650,edge:pulsar+ssl://E:6651"), lines.toString());
        assertTrue(lines.contains("bindAddresses=edge:pulsar://0.0.0.0:6652"), lines.toString());
        assertListenersAreConsistent(lines);
    }

    @Test
    void kafkaListenersBehindAGatewayAreAdvertisedAsPulsarListeners() {
        PulsarBroker pb = scenario("passthrough kafka-tls");
        List<String> lines = BrokerProtocols.perPodConfig(pb, plan(pb), "A", "E");
        assertEquals("advertisedListeners=internal:pulsar://A:6650,internal:pulsar+ssl://A:6651,external:pulsar+ssl://E:6651,"
                + "kafka_internal:pulsar://A:9092,kafka_ssl:pulsar://A:9093,kafka_external:pulsar://E:9093", lines.get(2));
        assertEquals(List.of("kopSslKeystorePassword=${KOP_SSL_KEYSTORE_PASSWORD}",
                "kopSslKeyPassword=${KOP_SSL_KEYSTORE_PASSWORD}"), lines.subList(4, lines.size()));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("kafkaAdvertisedListeners=")),
                "deprecated in KoP's named-listener mode");
        PulsarBroker plain = scenario("kafka");
        assertEquals("kafkaAdvertisedListeners=PLAINTEXT://A:9092",
                BrokerProtocols.perPodConfig(plain, null, "A", null).get(1));
    }

    /** Pulsar refuses listener settings whose internal or bind listener names are not advertised. */
    static void assertListenersAreConsistent(List<String> lines) {
        Map<String, String> conf = new LinkedHashMap<>();
        lines.forEach(l -> conf.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        Set<String> advertised = List.of(conf.get("advertisedListeners").split(",")).stream()
                .map(l -> l.substring(0, l.indexOf(':'))).collect(Collectors.toSet());
        assertTrue(advertised.contains(conf.get("internalListenerName")), conf.toString());
        for (String bind : conf.get("bindAddresses").split(",")) {
            assertTrue(advertised.contains(bind.substring(0, bind.indexOf(':'))), bind);
        }
        // At most one pulsar:// and one pulsar+ssl:// address per listener.
        List<String> schemes = List.of(conf.get("advertisedListeners").split(",")).stream()
                .map(l -> l.substring(0, l.indexOf("://"))).toList();
        assertEquals(schemes.size(), new HashSet<>(schemes).size(), schemes.toString());
    }

    // The start script

    static String startScript(PulsarBroker pb) {
        return BrokerModel.configMap(pb, mesh(pb)).getData().get(Scripts.START_SCRIPT);
    }

    @Test
    void startScriptComputesTheExternalHostFromTheOrdinal() {
        String script = startScript(scenario("simple kafka"));
        assertTrue(script.contains("ordinal=\"${HOSTNAME##*-}\"\n"), script);
        assertTrue(script.contains("external_host=\"pb${ordinal}-pulsar.example.com\"\n"), script);
        assertTrue(script.contains("echo \"advertisedListeners=internal:pulsar://${HOSTNAME}.pc-broker-headless."
                + "pulsar.svc.cluster.local:6650,external:pulsar+ssl://${external_host}:6651,"
                + "kafka_internal:pulsar://${HOSTNAME}.pc-broker-headless.pulsar.svc.cluster.local:9092,"
                + "kafka_external:pulsar://${external_host}:9093\" >> \"$overrides\"\n"), script);
        assertTrue(script.contains("echo \"bindAddresses=external:pulsar://0.0.0.0:6652\" >> \"$overrides\"\n"), script);
        assertTrue(script.indexOf("external_host=") < script.indexOf("merge_config \"$conf\" \"$overrides\""));
        assertFalse(startScript(scenario("kafka")).contains("external_host"), "no gateway, no external host");
    }

    static Process run(Path dir, String... command) throws IOException {
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    }

    static String finish(Process p) throws Exception {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished in time");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "plain", "tls", "simple", "simple kafka-tls mqtt-proxy amqp", "passthrough kafka-tls",
            "kafka", "simple fqdn", "passthrough nameuid", "simple pod-ip", "simple initialized" })
    void startScriptIsValidBash(String words, @TempDir Path dir) throws Exception {
        PulsarBroker pb = scenario(words.replace("fqdn", "").replace("nameuid", "").replace("pod-ip", "")
                .replace("initialized", ""));
        if (words.contains("fqdn")) {
            config(pb).setServiceURLGenerationPolicy("FQDN");
        }
        if (words.contains("nameuid")) {
            config(pb).setServiceURLGenerationPolicy("NameUIDPrefix");
        }
        if (words.contains("pod-ip")) {
            config(pb).setUsePodIPAsAdvertisedAddress(true);
        }
        if (words.contains("initialized")) {
            pb.getSpec().setInitialized(true);
        }
        Path script = dir.resolve("start.sh");
        Files.writeString(script, startScript(pb));
        finish(run(dir, "bash", "-n", script.toString()));
    }

    /** The image's broker.conf, as far as the test needs it. */
    static final String IMAGE_CONF = """
            # Pulsar broker configuration (image default)
            clusterName=
            advertisedAddress=
            advertisedListeners=
            internalListenerName=
            bindAddresses=
            brokerServicePort=6650
            managedLedgerDefaultEnsembleSize=2
            kafkaListeners=
            """;

    /**
     * Runs the start script of {@code pb} as pod {@code hostname}, in a directory standing for the container: the
     * script's absolute paths are moved under it and {@code bin/pulsar} is a stub that records its arguments.
     *
     * @return the merged broker.conf
     */
    static Map<String, String> runStartScript(PulsarBroker pb, Path dir, String hostname, Map<String, String> env)
            throws Exception {
        String original = startScript(pb);
        String root = dir.toAbsolutePath().toString();
        for (String path : List.of("/pulsar/conf/broker.conf", "/pulsar/operator/broker.conf", "/pulsar/logs/status",
                "/tmp/broker.conf")) {
            assertTrue(original.contains(path), path);
        }
        String script = original.replace("/tmp/broker.conf", root + "/overrides.conf").replace("/pulsar/",
                root + "/pulsar/");
        Files.createDirectories(dir.resolve("pulsar/conf"));
        Files.createDirectories(dir.resolve("pulsar/operator"));
        Files.createDirectories(dir.resolve("bin"));
        Path conf = dir.resolve("pulsar/conf/broker.conf");
        if (!Files.exists(conf)) {
            Files.writeString(conf, IMAGE_CONF);
        }
        Files.writeString(dir.resolve("pulsar/operator/broker.conf"),
                BrokerModel.configMap(pb, mesh(pb)).getData().get(BrokerModel.CONF_FILE));
        Path stub = dir.resolve("bin/pulsar");
        Files.writeString(stub, """
                #!/bin/bash
                echo "$* conf=${PULSAR_BROKER_CONF:-}" >> "$STUB_LOG"
                """);
        assertTrue(stub.toFile().setExecutable(true));
        Path script1 = dir.resolve("start.sh");
        Files.writeString(script1, script);

        ProcessBuilder b = new ProcessBuilder("bash", script1.toString()).directory(dir.toFile())
                .redirectErrorStream(true);
        b.environment().put("HOSTNAME", hostname);
        b.environment().put("POD_IP", "10.1.2.3");
        b.environment().put("STUB_LOG", dir.resolve("calls.log").toString());
        b.environment().putAll(env);
        finish(b.start());

        List<String> lines = Files.readAllLines(conf);
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : lines) {
            if (!l.startsWith("#") && l.contains("=")) {
                String key = l.substring(0, l.indexOf('='));
                assertNull(out.put(key, l.substring(l.indexOf('=') + 1)), "key " + key + " once in " + lines);
            }
        }
        assertEquals("OK", Files.readString(dir.resolve("pulsar/logs/status")).trim());
        return out;
    }

    @Test
    void startScriptWritesThePodsListenersIntoBrokerConf(@TempDir Path dir) throws Exception {
        PulsarBroker pb = scenario("simple kafka-tls");
        String password = "pa$$ \"w0rd\" `id` \\x";
        Map<String, String> conf = runStartScript(pb, dir, "pc-broker-2",
                Map.of("KOP_SSL_KEYSTORE_PASSWORD", password));

        assertEquals(POD_FQDN, conf.get("advertisedAddress"));
        assertEquals("internal", conf.get("internalListenerName"));
        assertEquals("internal:pulsar://" + POD_FQDN + ":6650,external:pulsar+ssl://pb2-pulsar.example.com:6651,"
                + "kafka_internal:pulsar://" + POD_FQDN + ":9092,kafka_ssl:pulsar://" + POD_FQDN + ":9093,"
                + "kafka_external:pulsar://pb2-pulsar.example.com:9093", conf.get("advertisedListeners"));
        assertEquals("external:pulsar://0.0.0.0:6652", conf.get("bindAddresses"));
        assertNull(conf.get("kafkaAdvertisedListeners"));
        assertEquals("kafka_internal://0.0.0.0:9092,kafka_ssl://0.0.0.0:9093,kafka_external://0.0.0.0:9094",
                conf.get("kafkaListeners"));
        assertEquals(password, conf.get("kopSslKeystorePassword"), "the secret is written as is, never evaluated");
        assertEquals(password, conf.get("kopSslKeyPassword"));
        assertEquals("pc", conf.get("clusterName"));
        assertEquals("2", conf.get("managedLedgerDefaultEnsembleSize"), "image keys the operator does not set stay");
        assertEquals("6650", conf.get("brokerServicePort"));

        List<String> calls = Files.readAllLines(dir.resolve("calls.log"));
        assertEquals(2, calls.size(), calls.toString());
        assertTrue(calls.get(0).startsWith("initialize-cluster-metadata --cluster pc --metadata-store zk:pc-zk:2181"),
                calls.get(0));
        assertEquals("broker conf=" + dir.toAbsolutePath() + "/pulsar/conf/broker.conf", calls.get(1));
    }

    @Test
    void startScriptIsIdempotentAcrossRestarts(@TempDir Path dir) throws Exception {
        PulsarBroker pb = scenario("simple kafka");
        Map<String, String> first = runStartScript(pb, dir, "pc-broker-2", Map.of());
        String file = Files.readString(dir.resolve("pulsar/conf/broker.conf"));
        Map<String, String> second = runStartScript(pb, dir, "pc-broker-2", Map.of());
        assertEquals(first, second);
        assertEquals(file, Files.readString(dir.resolve("pulsar/conf/broker.conf")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "simple      | OrdinalPrefix | pb2-pulsar.example.com           | external:pulsar://0.0.0.0:6652",
            "simple      | FQDN          | pc-broker-2.pulsar.example.com   | external:pulsar://0.0.0.0:6652",
            "simple      | NameUIDPrefix | pc-3f2a9c1e-2-pulsar.example.com | external:pulsar://0.0.0.0:6652",
            "passthrough | OrdinalPrefix | pb2-pulsar.example.com           | external:pulsar+ssl://0.0.0.0:6653",
            "passthrough | FQDN          | pc-broker-2.pulsar.example.com   | external:pulsar+ssl://0.0.0.0:6653",
    })
    void startScriptExternalHostPerPolicy(String mode, String policy, String host, String bind, @TempDir Path dir)
            throws Exception {
        PulsarBroker pb = scenario(mode);
        config(pb).setServiceURLGenerationPolicy(policy);
        Map<String, String> conf = runStartScript(pb, dir, "pc-broker-2", Map.of());
        assertEquals(BrokerGateway.host(pb, plan(pb), 2), host, "the script and the gateway agree on the host");
        String internal = "internal:pulsar://" + POD_FQDN + ":6650"
                + (mode.equals("passthrough") ? ",internal:pulsar+ssl://" + POD_FQDN + ":6651" : "");
        assertEquals(internal + ",external:pulsar+ssl://" + host + ":6651", conf.get("advertisedListeners"));
        assertEquals(bind, conf.get("bindAddresses"));
        List<String> lines = new ArrayList<>();
        conf.forEach((k, v) -> lines.add(k + "=" + v));
        assertListenersAreConsistent(lines.stream().filter(l -> l.startsWith("advertisedListeners=")
                || l.startsWith("internalListenerName=") || l.startsWith("bindAddresses=")).toList());
    }

    @Test
    void startScriptWithPodIpAndNoGateway(@TempDir Path dir) throws Exception {
        PulsarBroker pb = scenario("kafka");
        config(pb).setUsePodIPAsAdvertisedAddress(true);
        pb.getSpec().setInitialized(true);
        Map<String, String> conf = runStartScript(pb, dir, "pc-broker-0", Map.of());
        assertEquals("10.1.2.3", conf.get("advertisedAddress"));
        assertEquals("PLAINTEXT://10.1.2.3:9092", conf.get("kafkaAdvertisedListeners"));
        assertEquals("", conf.get("advertisedListeners"), "the image's empty value: no listeners without a gateway");
        assertEquals(List.of("broker conf=" + dir.toAbsolutePath() + "/pulsar/conf/broker.conf"),
                Files.readAllLines(dir.resolve("calls.log")), "initialized: no metadata initialization");
    }
}
