package io.pulsarmesh.operator.olm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed {@code olm-bundle/} is exactly what the build generates, and the install Deployment names the images of
 * the Maven properties. Run {@code mvn test -Dtest=BundleDriftTest -Dbundle.update=true
 * -Dsurefire.failIfNoSpecifiedTests=false} to rewrite both after a change, then review the diff.
 */
class BundleDriftTest {
    static final Path COMMITTED = Path.of("olm-bundle");
    static final String UPDATE = "run mvn test -Dtest=BundleDriftTest -Dbundle.update=true"
            + " -Dsurefire.failIfNoSpecifiedTests=false and review the diff";
    /** The operator container's image line and the Pulsar image's env value in the install Deployment. */
    static final Pattern OPERATOR_IMAGE = Pattern.compile("(?m)^(\\s+image: ).*$");
    static final Pattern PULSAR_IMAGE = Pattern.compile("(?m)(- name: RELATED_IMAGE_PULSAR\\n\\s+value: ).*$");

    @Test
    void installDeploymentNamesTheImagesOfTheBuild() throws IOException {
        BundleGenerator.Settings settings = BundleGenerator.Settings.fromBuild();
        String text = Files.readString(BundleGenerator.DEPLOYMENT);
        String updated = replaceOnce(OPERATOR_IMAGE, text, settings.operatorImage(), "the operator container's image");
        updated = replaceOnce(PULSAR_IMAGE, updated, settings.pulsarImage(), "RELATED_IMAGE_PULSAR");
        if (Boolean.getBoolean("bundle.update")) {
            Files.writeString(BundleGenerator.DEPLOYMENT, updated);
            text = updated;
        }
        assertEquals(updated, text, BundleGenerator.DEPLOYMENT + " does not name the images of the Maven properties"
                + " operator.image and pulsar.image; " + UPDATE);
    }

    static String replaceOnce(Pattern p, String text, String value, String what) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), "no " + what + " in " + BundleGenerator.DEPLOYMENT);
        String replaced = text.substring(0, m.start()) + m.group(1) + value + text.substring(m.end());
        assertTrue(!p.matcher(text.substring(m.end())).find(), "more than one " + what);
        return replaced;
    }

    @Test
    void committedBundleIsWhatTheBuildGenerates(@TempDir Path out) throws IOException {
        if (Boolean.getBoolean("bundle.update")) {
            // The Deployment first, so that the bundle is generated from the updated one.
            installDeploymentNamesTheImagesOfTheBuild();
            new BundleGenerator(Path.of(""), BundleGenerator.Settings.fromBuild()).generate(COMMITTED);
        }
        new BundleGenerator(Path.of(""), BundleGenerator.Settings.fromBuild()).generate(out);
        Map<String, String> generated = files(out);
        Map<String, String> committed = files(COMMITTED);
        assertEquals(List.copyOf(generated.keySet()), List.copyOf(committed.keySet()),
                "files of olm-bundle/ (besides README.md); " + UPDATE);
        for (var e : generated.entrySet()) {
            assertEquals(e.getValue(), committed.get(e.getKey()),
                    "olm-bundle/" + e.getKey() + " differs from what the build generates; " + UPDATE);
        }
    }

    /** The bundle's files by relative path, without the hand-written README. */
    static Map<String, String> files(Path root) throws IOException {
        Map<String, String> files = new java.util.TreeMap<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (!rel.equals("README.md")) {
                    files.put(rel, Files.readString(p));
                }
            }
        }
        return files;
    }
}
