package io.pulsarmesh.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The Pulsar image of components that name none: {@code RELATED_IMAGE_PULSAR} when the environment sets it (the OLM
 * convention, so a disconnected install can point it at a mirror), else the release's image, with
 * {@code PULSAR_OPERATOR_DEFAULT_IMAGE} above both. Read through the operator's own application.properties, with the
 * given environment variables as the only environment.
 */
class DefaultImageTest {

    static OperatorConfig config(Map<String, String> env) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                // Quarkus' durations ("30s"), as the application reads them.
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(OperatorConfig.class)
                .withSources(new PropertiesConfigSource(
                        DefaultImageTest.class.getClassLoader().getResource("application.properties"), 250))
                .withSources(new EnvConfigSource(env, 300))
                .build();
        return config.getConfigMapping(OperatorConfig.class);
    }

    @Test
    void withoutRelatedImageTheReleasesPulsarImage() throws IOException {
        String pom = System.getProperty("pulsar.image");
        assertNotNull(pom, "the pom's pulsar.image, passed by surefire: run the tests through Maven");
        assertEquals(pom, config(Map.of()).defaultImage());
        assertEquals(pom, ModelSettings.DEFAULT_IMAGE, "render and the @WithDefault use the pom's pulsar.image");
    }

    @Test
    void relatedImageSetsTheDefault() throws IOException {
        assertEquals("mirror.example.com/pulsar/pulsar@sha256:0123",
                config(Map.of("RELATED_IMAGE_PULSAR", "mirror.example.com/pulsar/pulsar@sha256:0123")).defaultImage());
    }

    @Test
    void operatorSettingWinsOverRelatedImage() throws IOException {
        assertEquals("registry.example.com/pulsar:4.1.0", config(Map.of("RELATED_IMAGE_PULSAR",
                "mirror.example.com/pulsar:4.0.5", "PULSAR_OPERATOR_DEFAULT_IMAGE", "registry.example.com/pulsar:4.1.0"))
                .defaultImage());
    }

    @Test
    void installManifestsSetRelatedImageToThePomsPulsarImage() throws IOException {
        Deployment d = new KubernetesSerialization().unmarshal(
                Files.readString(Path.of("kubernetes/install/deployment.yaml")), Deployment.class);
        String value = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> "RELATED_IMAGE_PULSAR".equals(e.getName())).map(EnvVar::getValue).findFirst()
                .orElse(null);
        assertEquals(System.getProperty("pulsar.image"), value, "RELATED_IMAGE_PULSAR in kubernetes/install/deployment.yaml");
    }
}
