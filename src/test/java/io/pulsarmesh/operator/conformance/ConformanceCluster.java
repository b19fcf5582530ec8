package io.pulsarmesh.operator.conformance;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;

/**
 * The real API server the conformance tier runs against: the cluster of {@code KUBECONFIG} (or
 * {@code -Dconformance.kubeconfig=PATH}). Once per test run it applies the CRDs of {@code CONFORMANCE_PREINSTALL}
 * (files separated by the path separator) and then the project's CRDs from {@code kubernetes/crds/}, waits until they
 * are established, and picks a namespace {@code pmo-conformance-<suffix>}: created, and deleted at the end, when the
 * server serves core/v1 Namespaces; a server that serves only CRDs stores custom resources under the name anyway.
 *
 * <p>Without a server (no kubeconfig, or no answer within {@link #PROBE_TIMEOUT_MS} ms) every test of the tier is
 * skipped with a message, unless {@code CONFORMANCE_REQUIRED=true}, which turns the missing server into a failure. A
 * server that answers with an error fails the tier. Test classes register {@link Extension} and take the cluster as a
 * parameter of their {@code @BeforeAll} method.
 */
public final class ConformanceCluster implements AutoCloseable {
    static final String FIELD_MANAGER = "pulsar-mesh-conformance";
    static final Path PROJECT_CRDS = Path.of("kubernetes", "crds");
    static final int PROBE_TIMEOUT_MS = 5_000;
    static final long ESTABLISHED_TIMEOUT_S = 60;

    final KubernetesClient client;
    final String namespace;
    private final boolean namespaceCreated;

    private ConformanceCluster(KubernetesClient client, String namespace, boolean namespaceCreated) {
        this.client = client;
        this.namespace = namespace;
        this.namespaceCreated = namespaceCreated;
    }

    /**
     * Server-side apply of {@code object} as this tier's field manager, forcing conflicts. With {@code dryRun} the
     * server validates, defaults and admits the object and returns it as it would store it, but stores nothing.
     */
    <T extends HasMetadata> T apply(T object, boolean dryRun) {
        if (dryRun) {
            return client.resource(object).dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        }
        return client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    @Override
    public void close() {
        try {
            if (namespaceCreated) {
                client.namespaces().withName(namespace).delete();
                System.err.println("conformance tier: namespace " + namespace + " deleted");
            }
        } finally {
            client.close();
        }
    }

    /** Why there is no server to test against (the tier is skipped, or fails when a server is required). */
    record Unavailable(String reason) {
    }

    static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CONFORMANCE_REQUIRED"));
    }

    /** Connects, installs the CRDs and sets up the namespace; or says why there is no server. */
    static Object open() {
        String property = System.getProperty("conformance.kubeconfig", "");
        String env = System.getenv().getOrDefault("KUBECONFIG", "");
        Config config;
        String source;
        try {
            if (!property.isBlank()) {
                source = "-Dconformance.kubeconfig=" + property;
                config = Config.fromKubeconfig(null, Files.readString(Path.of(property)), property);
            } else if (!env.isBlank()) {
                source = "KUBECONFIG=" + env;
                if (Arrays.stream(env.split(File.pathSeparator)).noneMatch(f -> Files.isReadable(Path.of(f)))) {
                    return new Unavailable(source + " names no readable file");
                }
                config = Config.autoConfigure(null);
            } else {
                return new Unavailable("KUBECONFIG unset");
            }
        } catch (IOException e) {
            return new Unavailable("cannot read " + property + ": " + e);
        }
        String server = config.getMasterUrl();
        Config probeConfig = new ConfigBuilder(config).withConnectionTimeout(PROBE_TIMEOUT_MS)
                .withRequestTimeout(PROBE_TIMEOUT_MS).withRequestRetryBackoffLimit(0).build();
        String version;
        try (KubernetesClient probe = new KubernetesClientBuilder().withConfig(probeConfig).build()) {
            VersionInfo info = probe.getKubernetesVersion();
            if (info == null) {
                throw new IllegalStateException(server + " (" + source + ") answered, but has no /version: not a"
                        + " Kubernetes API server");
            }
            version = info.getGitVersion();
        } catch (KubernetesClientException e) {
            if (e.getCode() > 0) {
                throw new IllegalStateException("API server " + server + " (" + source + ") answered " + e.getCode()
                        + ": " + e.getMessage(), e);
            }
            return new Unavailable(server + " (" + source + ") did not answer within " + PROBE_TIMEOUT_MS / 1000
                    + " s: " + rootCause(e));
        }

        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        try {
            List<Path> preinstall = new ArrayList<>();
            for (String f : System.getenv().getOrDefault("CONFORMANCE_PREINSTALL", "").split(File.pathSeparator)) {
                if (!f.isBlank()) {
                    preinstall.add(Path.of(f));
                }
            }
            installCrds(client, preinstall);
            try (Stream<Path> files = Files.list(PROJECT_CRDS)) {
                installCrds(client, files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                        .sorted().toList());
            }
            String namespace = "pmo-conformance-" + UUID.randomUUID().toString().substring(0, 8);
            boolean servesNamespaces = client.supports("v1", "Namespace");
            if (servesNamespaces) {
                Namespace ns = new NamespaceBuilder().withNewMetadata().withName(namespace)
                        .addToLabels("app.kubernetes.io/created-by", FIELD_MANAGER).endMetadata().build();
                client.resource(ns).create();
            }
            System.err.printf("conformance tier: API server %s %s (%s); CRDs installed: %d preinstalled file(s) and %s;"
                    + " namespace %s (%s)%n", server, version, source, preinstall.size(), PROJECT_CRDS, namespace,
                    servesNamespaces ? "created, deleted at the end" : "the server serves no Namespaces: name only");
            return new ConformanceCluster(client, namespace, servesNamespaces);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** Server-side applies every CustomResourceDefinition in {@code files} and waits until all are established. */
    static void installCrds(KubernetesClient client, List<Path> files) throws IOException {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                for (HasMetadata item : client.load(in).items()) {
                    if (!(item instanceof CustomResourceDefinition crd)) {
                        throw new IllegalArgumentException(file + ": " + item.getApiVersion() + " " + item.getKind()
                                + " " + item.getMetadata().getName() + " is not an apiextensions.k8s.io/v1 CRD");
                    }
                    crds.add(crd);
                }
            }
        }
        for (CustomResourceDefinition crd : crds) {
            try {
                client.resource(crd).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            } catch (KubernetesClientException e) {
                throw new IllegalStateException("CRD " + crd.getMetadata().getName() + " rejected: " + e.getMessage(), e);
            }
        }
        for (CustomResourceDefinition crd : crds) {
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                            && c.getStatus().getConditions().stream()
                                    .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                            ESTABLISHED_TIMEOUT_S, TimeUnit.SECONDS);
        }
    }

    static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /**
     * Opens the cluster once per test run (kept in the root store, closed when the run ends). Without a server it
     * fails each test class when the tier is required, and otherwise skips each test, so that the report counts them
     * as skipped; the test classes' {@code @BeforeAll} methods then receive {@code null}.
     */
    public static final class Extension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
        private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ConformanceCluster.class);

        static Object outcome(ExtensionContext context) {
            return context.getRoot().getStore(STORE).computeIfAbsent(ConformanceCluster.class, k -> {
                Object o = open();
                if (o instanceof Unavailable u) {
                    System.err.println("conformance tier " + (required() ? "failed" : "skipped") + ": no API server ("
                            + u.reason() + ")" + (required() ? " and CONFORMANCE_REQUIRED=true" : ""));
                }
                return o;
            });
        }

        @Override
        public void beforeAll(ExtensionContext context) {
            if (outcome(context) instanceof Unavailable u && required()) {
                Assertions.fail("no API server (" + u.reason() + ") and CONFORMANCE_REQUIRED=true");
            }
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            if (outcome(context) instanceof Unavailable u) {
                Assumptions.abort("conformance tier skipped: no API server (" + u.reason() + ")");
            }
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ConformanceCluster.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return outcome(context) instanceof ConformanceCluster cluster ? cluster : null;
        }
    }
}
