package io.pulsarmesh.operator.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The Dockerfiles copy what the Quarkus build writes, run as a non-root user whose files belong to group 0 (so any
 * user id in group 0 runs them, as OpenShift's restricted-v2 does), label the image, and the build context holds
 * what they copy; the install manifests run the image the pom names.
 */
class ContainerImageTest {
    static final Path DOCKER = Path.of("src/main/docker");
    static final Pattern CHOWN = Pattern.compile("--chown=(\\d+):0");
    static final Pattern LABEL = Pattern.compile("([A-Za-z0-9.\\-]+)=\"([^\"]*)\"");

    record Instruction(String keyword, String args) {
    }

    /** The instructions of a Dockerfile, continuation lines joined, comments dropped. */
    static List<Instruction> parse(Path dockerfile) throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continued = trimmed.endsWith("\\");
            current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continued) {
                String text = current.toString().strip();
                int space = text.indexOf(' ');
                out.add(new Instruction(text.substring(0, space), text.substring(space + 1).strip()));
                current.setLength(0);
            }
        }
        return out;
    }

    static List<Instruction> all(List<Instruction> instructions, String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    static Instruction only(List<Instruction> instructions, String keyword) {
        List<Instruction> found = all(instructions, keyword);
        assertEquals(1, found.size(), "one " + keyword);
        return found.get(0);
    }

    /** A COPY's source and destination, without its flags. */
    static List<String> operands(Instruction copy) {
        return List.of(copy.args().split("\\s+")).stream().filter(w -> !w.startsWith("--")).toList();
    }

    /** Every COPY gives the files to group 0 and to the user the image runs as, which is not root. */
    static void assertRunsAsNonRootInGroupZero(List<Instruction> file, String name) {
        String user = only(file, "USER").args();
        assertTrue(user.matches("\\d+"), name + ": numeric USER, so runAsNonRoot can check it: " + user);
        assertNotEquals("0", user, name + ": not root");
        for (Instruction copy : all(file, "COPY")) {
            Matcher m = CHOWN.matcher(copy.args());
            assertTrue(m.find(), name + ": files of group 0: " + copy.args());
            assertEquals(user, m.group(1), name + ": files owned by the image's user: " + copy.args());
        }
    }

    static Map<String, String> labels(List<Instruction> file) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Instruction label : all(file, "LABEL")) {
            Matcher m = LABEL.matcher(label.args());
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
        }
        return labels;
    }

    @Test
    void jvmImageRunsTheAotJarLayout() throws IOException {
        List<Instruction> jvm = parse(DOCKER.resolve("Dockerfile.jvm"));
        assertEquals(List.of("${BASE_IMAGE} AS application", "application AS training", "application"),
                all(jvm, "FROM").stream().map(Instruction::args).toList(),
                "the application's layers, a training stage on them, and the image on the same layers");
        assertEquals(List.of(
                List.of("target/quarkus-app/lib/", "/deployments/lib/"),
                List.of("target/quarkus-app/*.jar", "/deployments/"),
                List.of("target/quarkus-app/app/", "/deployments/app/"),
                List.of("target/quarkus-app/quarkus/", "/deployments/quarkus/"),
                List.of("target/aot-training/", "/tmp/aot-training/"),
                List.of("/deployments/app.aot", "/deployments/app.aot")),
                all(jvm, "COPY").stream().map(ContainerImageTest::operands).toList());
        assertTrue(all(jvm, "COPY").get(5).args().startsWith("--from=training "),
                "only the cache comes from the training stage: " + all(jvm, "COPY").get(5).args());
        assertTrue(all(jvm, "ENV").get(0).args().contains("JAVA_APP_JAR=/deployments/quarkus-run.jar"),
                "the base image's start script runs quarkus-run.jar");
        assertEquals("[\"/opt/jboss/container/java/run/run-java.sh\"]", only(jvm, "ENTRYPOINT").args());
        assertRunsAsNonRootInGroupZero(jvm, "Dockerfile.jvm");
    }

    @Test
    void nativeImageRunsTheRunner() throws IOException {
        List<Instruction> nat = parse(DOCKER.resolve("Dockerfile.native"));
        assertEquals(List.of(List.of("target/*-runner", "/opt/pulsar-mesh-operator/pulsar-mesh-operator")),
                all(nat, "COPY").stream().map(ContainerImageTest::operands).toList());
        assertEquals("[\"/opt/pulsar-mesh-operator/pulsar-mesh-operator\"]", only(nat, "ENTRYPOINT").args());
        assertRunsAsNonRootInGroupZero(nat, "Dockerfile.native");
    }

    /** The options the base image's start script generates (its java-default-options), before the image's own. */
    static final List<String> START_SCRIPT_DEFAULTS = List.of("-XX:MaxRAMPercentage=50.0", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=20", "-XX:GCTimeRatio=4", "-XX:AdaptiveSizePolicyWeight=90",
            "-XX:+ExitOnOutOfMemoryError");

    /** An ENV instruction's variables (values unquoted). */
    static Map<String, String> env(Instruction instruction) {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([A-Z_]+)=(\"[^\"]*\"|\\S+)").matcher(instruction.args());
        while (m.find()) {
            env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
        }
        return env;
    }

    /**
     * The JVM image runs the operator with the serial collector, C1 only and an AOT cache that its own JVM and start
     * script write in a training stage (the operator through a start and a cluster's convergence, {@code AotTraining});
     * the benchmark runs it with the same options and trains it the same way, or its figures would not be the image's.
     */
    @Test
    void jvmImageTunesTheJvmAsTheBenchmarkMeasuresIt() throws IOException {
        List<Instruction> jvm = parse(DOCKER.resolve("Dockerfile.jvm"));
        List<Instruction> envs = all(jvm, "ENV");
        assertEquals(2, envs.size(), "the application's settings, then the cache in the image: " + envs);
        Map<String, String> env = env(envs.get(0));
        assertEquals("-XX:+UseSerialGC", env.get("GC_CONTAINER_OPTIONS"),
                "replaces the start script's default collector (two collectors would stop the JVM)");
        List<String> append = List.of(env.get("JAVA_OPTS_APPEND").split("\\s+"));
        assertTrue(append.contains("-XX:TieredStopAtLevel=1"), append.toString());
        assertEquals("${JAVA_OPTS_APPEND} -XX:AOTCache=/deployments/app.aot", env(envs.get(1)).get("JAVA_OPTS_APPEND"),
                "the image adds the cache to the application's options");
        assertTrue(jvm.indexOf(envs.get(1)) > jvm.indexOf(all(jvm, "FROM").get(2)), "in the image's stage");

        Instruction run = only(jvm, "RUN");
        String training = run.args().replaceAll("\\s+", " ");
        assertTrue(jvm.indexOf(run) > jvm.indexOf(all(jvm, "FROM").get(1))
                && jvm.indexOf(run) < jvm.indexOf(all(jvm, "FROM").get(2)), "the training runs in its own stage");
        assertTrue(training.contains("JAVA_OPTS_APPEND=\"${JAVA_OPTS_APPEND} -XX:MaxRAM=512m "
                + "-XX:AOTCacheOutput=/deployments/app.aot\""),
                "the application's options, sized as under the Deployment's limit, and the cache: " + training);
        assertTrue(training.contains("io.pulsarmesh.operator.artifact.AotTraining --expect /deployments/app.aot -- "
                + "/opt/jboss/container/java/run/run-java.sh"),
                "the training runs the operator through the image's own start script: " + training);
        assertTrue(training.contains("-cp \"lib/*:/deployments/lib/main/*\""),
                "the training kit and the operator's libraries: " + training);
        assertTrue(jvm.indexOf(run) > jvm.indexOf(only(jvm, "USER")), "the cache belongs to the image's user");

        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<bench.operator-jvm-options>([^<]*)</bench.operator-jvm-options>").matcher(pom);
        assertTrue(m.find(), "the bench profile names the operator's JVM options");
        List<String> bench = List.of(m.group(1).strip().split("\\s+"));
        List<String> expected = new ArrayList<>(START_SCRIPT_DEFAULTS);
        expected.add(env.get("GC_CONTAINER_OPTIONS"));
        append.stream().filter(o -> !o.startsWith("-Djava.util.logging")).forEach(expected::add);
        for (String option : expected) {
            assertTrue(bench.contains(option), "the benchmark runs the operator with " + option + ": " + bench);
        }
        assertTrue(bench.contains("-XX:MaxRAM=512m"), "the install Deployment's memory limit: " + bench);
        assertFalse(bench.stream().anyMatch(o -> o.contains("AOTCache") || o.contains("SharedArchiveFile")),
                "the benchmark adds the class data itself, after training as the image does: " + bench);
        String benchmark = Files.readString(Path.of("src/bench/java/io/pulsarmesh/operator/bench/OperatorBenchmark.java"));
        assertTrue(benchmark.contains("AotTraining.train(") && benchmark.contains("\"-XX:AOTCacheOutput=app.aot\"")
                && benchmark.contains("\"-XX:AOTCache=app.aot\""), "the benchmark trains the cache as the image does");
        assertTrue(pom.contains("<quarkus.package.jar.appcds.enabled>true</quarkus.package.jar.appcds.enabled>"),
                "on a JDK without AOT cache, the bench build writes Quarkus' AppCDS archive for the JDK that runs it");
    }

    /**
     * The Dockerfiles assume the packaging the build is configured for: Quarkus' aot-jar in target/quarkus-app (the
     * directories of fast-jar, its classes on the application class path so that the AOT cache links them), a native
     * target/*-runner. Nothing else changes what the build writes.
     */
    @Test
    void buildKeepsThePackagingTheDockerfilesCopy() throws IOException {
        Properties app = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            app.load(in);
        }
        assertEquals("aot-jar", app.getProperty("quarkus.package.jar.type"),
                "the JVM image's AOT cache is trained on the aot-jar layout");
        for (String key : app.stringPropertyNames()) {
            if (key.equals("quarkus.package.jar.type")) {
                continue;
            }
            assertFalse(key.replaceFirst("^%[^.]+\\.", "").startsWith("quarkus.package."),
                    key + " changes what the build writes: adapt src/main/docker/ and this test");
        }
    }

    @Test
    void imagesCarryNameVersionAndDescriptionLabels() throws IOException {
        for (String name : List.of("Dockerfile.jvm", "Dockerfile.native")) {
            List<Instruction> file = parse(DOCKER.resolve(name));
            List<Instruction> froms = all(file, "FROM");
            int from = file.indexOf(froms.get(froms.size() - 1));
            int version = file.indexOf(all(file, "ARG").stream().filter(a -> a.args().startsWith("OPERATOR_VERSION="))
                    .findFirst().orElseThrow(() -> new AssertionError(name + ": ARG OPERATOR_VERSION")));
            assertTrue(version > from, name + ": OPERATOR_VERSION is declared after the image's FROM, so its labels "
                    + "see it");
            Map<String, String> labels = labels(file);
            assertEquals("pulsar-mesh-operator", labels.get("name"), name);
            assertEquals("pulsar-mesh-operator", labels.get("org.opencontainers.image.title"), name);
            assertEquals("${OPERATOR_VERSION}", labels.get("version"), name);
            assertEquals("${OPERATOR_VERSION}", labels.get("org.opencontainers.image.version"), name);
            for (String key : List.of("summary", "description", "io.k8s.display-name", "io.k8s.description",
                    "org.opencontainers.image.description")) {
                assertFalse(labels.getOrDefault(key, "").isBlank(), name + ": label " + key);
            }
        }
    }

    /**
     * The build context keeps what the Dockerfiles copy and nothing else: each path is decided by the last
     * {@code .dockerignore} rule that matches it or one of its parent folders, as the container builders do.
     */
    @Test
    void buildContextHoldsOnlyTheBuildOutput() throws IOException {
        List<String> rules = Files.readAllLines(Path.of(".dockerignore")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (String kept : List.of("target/quarkus-app/quarkus-run.jar", "target/quarkus-app/lib/main/a.jar",
                "target/quarkus-app/lib/boot/b.jar", "target/quarkus-app/app/pulsar-mesh-operator-0.1.0.jar",
                "target/quarkus-app/quarkus/generated-bytecode.jar",
                "target/pulsar-mesh-operator-0.1.0-SNAPSHOT-runner", "target/aot-training/lib/mockwebserver-7.5.2.jar",
                "target/aot-training/kubernetes/crds/a.yml")) {
            assertTrue(inContext(rules, kept), kept + " is in the build context");
        }
        for (String left : List.of("pom.xml", "src/main/java/io/Main.java", ".git/HEAD", "target/classes/a.class",
                "target/pulsar-mesh-operator-0.1.0-SNAPSHOT.jar", "kubernetes/crds/a.yml")) {
            assertFalse(inContext(rules, left), left + " stays out of the build context");
        }
    }

    static boolean inContext(List<String> rules, String file) {
        boolean in = true;
        for (String rule : rules) {
            boolean exception = rule.startsWith("!");
            String pattern = (exception ? rule.substring(1) : rule).replaceAll("/+$", "");
            var matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            for (Path p = Path.of(file); p != null; p = p.getParent()) {
                if (matcher.matches(p)) {
                    in = exception;
                    break;
                }
            }
        }
        return in;
    }

    @Test
    void installManifestsRunTheImageThePomNames() throws IOException {
        String image = System.getProperty("operator.image");
        assertNotNull(image, "the pom's operator.image, passed by surefire: run the tests through Maven");
        Deployment d = new KubernetesSerialization().unmarshal(
                Files.readString(Path.of("kubernetes/install/deployment.yaml")), Deployment.class);
        assertEquals(image, d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(),
                "kubernetes/install/deployment.yaml runs the pom's operator.image");
    }
}
