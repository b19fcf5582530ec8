package io.pulsarmesh.operator.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pulsarmesh.operator.testsupport.IstioCrds;

/**
 * The JVM image's training run, as its build stage runs it (src/main/docker/Dockerfile.jvm): {@link AotTraining} from
 * the kit the build writes to {@code target/aot-training/}, on the class path the Dockerfile gives it (the kit's
 * {@code lib/} and the operator's {@code lib/main/}, nothing of the test class path), in the kit's folder, runs the
 * packaged operator through its start and the Istio example's convergence and stops it; the operator's JVM writes its
 * class data on the way out. This JDK's option for it: {@code -XX:AOTCacheOutput} on JDK 25 and later (as in the
 * image), {@code -XX:ArchiveClassesAtExit} before. Then the operator starts with that file, required
 * ({@code -Xshare:on} / {@code -XX:AOTMode=on}: the JVM refuses to start if it cannot use it), and becomes ready;
 * with an AOT cache, the lambda classes of the operator's own code come from it. Once with the JDK that runs the
 * tests, once with the JDK 25 of {@value #AOT_JAVA_HOME} (the image's case; skipped, and reported so, where there is
 * none).
 */
class AotTrainingIT {
    static final Path KIT = Path.of("target", "aot-training");
    /**
     * A JDK 25 or later (its home) to train with as the JVM image does ({@code -XX:AOTCacheOutput}); {@code .ci/run}
     * sets it where one is installed. The tests themselves run on JDK 17.
     */
    static final String AOT_JAVA_HOME = "AOT_TRAINING_JAVA_HOME";

    @Test
    void theTrainingRunConvergesTheExampleAndLeavesClassDataTheOperatorStartsWith() throws Exception {
        trainAndStart(Path.of(System.getProperty("java.home")));
    }

    /** The image's case: its JDK 25 writes an AOT cache, and the operator starts with it required. */
    @Test
    void aJdk25TrainsTheAotCacheTheImageStartsWith() throws Exception {
        String home = System.getenv(AOT_JAVA_HOME);
        if (home == null || home.isBlank()) {
            Assumptions.assumeTrue(Runtime.version().feature() >= 25,
                    "no JDK 25 to train with: set " + AOT_JAVA_HOME + " to one's home");
            home = System.getProperty("java.home");
        }
        assertTrue(AotTraining.javaFeatureVersion(Path.of(home)) >= 25, home + " is a JDK 25 or later");
        trainAndStart(Path.of(home));
    }

    static void trainAndStart(Path javaHome) throws Exception {
        Properties artifact = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("target", "quarkus-artifact.properties"))) {
            artifact.load(in);
        }
        // The class data of a native executable is the executable itself: nothing to train.
        Assumptions.assumeTrue("jar".equals(artifact.getProperty("type")), "the JVM artifact only");
        Path jar = Path.of("target").resolve(artifact.getProperty("path")).toAbsolutePath();
        Path app = jar.getParent();
        for (String kept : List.of("kubernetes/crds", "kubernetes/install/rbac.yaml",
                "kubernetes/examples/pulsar-cluster-istio.yaml")) {
            assertTrue(Files.exists(KIT.resolve(kept)), "the kit holds " + kept);
        }

        Path java = javaHome.resolve("bin").resolve("java");
        boolean aot = AotTraining.javaFeatureVersion(javaHome) >= 25;
        Path data = Files.createTempDirectory(Path.of("target"), "aot-training-").toAbsolutePath()
                .resolve(aot ? "app.aot" : "app.jsa");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp",
                KIT.toAbsolutePath().resolve("lib") + File.separator + "*" + File.pathSeparator
                        + app.resolve("lib").resolve("main") + File.separator + "*",
                AotTraining.class.getName(), "--expect", data.toString(), "--",
                java.toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                aot ? "-XX:AOTCacheOutput=" + data : "-XX:ArchiveClassesAtExit=" + data,
                "-jar", jar.toString()));
        Path out = data.getParent().resolve("training.out");
        Process training = new ProcessBuilder(cmd).directory(KIT.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertTrue(training.waitFor(8, TimeUnit.MINUTES), "the training ends");
        String printed = Files.readString(out);
        assertEquals(0, training.exitValue(), printed + "\n" + operatorLog());
        assertTrue(printed.contains("AOT training: operator ready after") && printed.contains("cluster Ready after"),
                printed);
        assertTrue(Files.size(data) > 1_000_000, "class data of the whole run: " + Files.size(data) + " bytes");

        // The operator starts with it, and would refuse to if the file did not fit this JVM and these jars. The server
        // serves Istio from the start, as a cluster with Istio does.
        LoopbackApiServer api = LoopbackApiServer.start();
        IstioCrds.install(api.client);
        Path classLoads = data.getParent().resolve("class-load.log");
        try (api; LaunchedOperator op = LaunchedOperator.start(java, api.operatorSettings("0"),
                aot ? List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:AOTCache=" + data,
                        "-XX:AOTMode=on", "-Xlog:class+load=info:file=" + classLoads)
                        : List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:SharedArchiveFile=" + data,
                                "-Xshare:on"),
                "aot-trained")) {
            op.awaitReady();
            if (aot) {
                assertOperatorLambdasComeFromTheCache(Files.readAllLines(classLoads));
            }
            // Ready only once the Istio informers of every component controller have started: readiness goes UP
            // once, not UP, then DOWN while they start, then UP again.
            JsonNode readiness = Http.json(Http.get(new URI("http://127.0.0.1:" + op.port + "/q/health/ready").toURL())
                    .body());
            JsonNode istio = null;
            for (JsonNode check : readiness.path("checks")) {
                if (check.path("name").asText().equals("Istio informers")) {
                    istio = check;
                }
            }
            assertNotNull(istio, readiness.toString());
            assertEquals("UP", istio.path("status").asText(), readiness.toString());
            assertEquals("started for 4 controllers", istio.path("data").path("state").asText(), readiness.toString());
        }
    }

    /**
     * The packaging puts the operator's classes on the application class path (aot-jar), where the AOT cache holds
     * them linked, their lambdas included: the classes a lambda expression or method reference of the operator's code
     * creates are read from the cache, not spun at start. (With fast-jar's own class loader the cache held the
     * operator's classes but none of their lambdas; each was generated again at every start.)
     */
    static void assertOperatorLambdasComeFromTheCache(List<String> classLoads) {
        List<String> lambdas = classLoads.stream()
                .filter(l -> l.contains(" io.pulsarmesh.operator.") && l.contains("$$Lambda")).toList();
        List<String> spun = lambdas.stream().filter(l -> !l.endsWith("source: shared objects file")).toList();
        assertTrue(lambdas.size() >= 20, "the operator's start creates lambdas of its own classes: " + lambdas.size());
        assertTrue(spun.size() * 10 <= lambdas.size(), spun.size() + " of the operator's " + lambdas.size()
                + " lambda classes were generated at start instead of read from the AOT cache: " + spun);
    }

    private static String operatorLog() throws IOException {
        Path log = KIT.resolve("aot-training-operator.log");
        return Files.exists(log) ? Files.readString(log) : "(no operator log)";
    }
}
