package io.pulsarmesh.operator.model.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.pulsarmesh.operator.api.common.v1alpha1.JvmOptions;
import io.pulsarmesh.operator.api.common.v1alpha1.SecretRef;
import io.pulsarmesh.operator.api.common.v1alpha1.ServicePodPolicy;

class JvmEnvTest {

    static Map<String, String> values(List<EnvVar> env) {
        return env.stream().collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "<ref>" : e.getValue(),
                (a, b) -> {
                    throw new AssertionError("duplicate variable");
                }, java.util.LinkedHashMap::new));
    }

    static SecretRef secretRef(String name, String path) {
        SecretRef r = new SecretRef();
        r.setSecretName(name);
        r.setMountPath(path);
        return r;
    }

    @Test
    void defaultsWithoutPodPolicy() {
        Map<String, String> env = values(JvmEnv.jvm(null));
        assertEquals(Map.of("PULSAR_MEM", "-XX:InitialRAMPercentage=30 -XX:MaxRAMPercentage=30"), env);
        assertEquals(env, values(JvmEnv.jvm(new ServicePodPolicy())));
    }

    @Test
    void optionsAreJoinedBySpace() {
        JvmOptions o = new JvmOptions();
        o.setMemoryOptions(List.of("-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=2g"));
        o.setGcOptions(List.of("-XX:+UseZGC"));
        o.setGcLoggingOptions(List.of("-Xlog:gc*:file=/pulsar/logs/gc.log", "-Xlog:safepoint"));
        o.setExtraOptions(List.of("-Dio.netty.leakDetectionLevel=disabled"));
        ServicePodPolicy pod = new ServicePodPolicy();
        pod.setJvmOptions(o);
        List<EnvVar> env = JvmEnv.jvm(pod);
        assertEquals(List.of("PULSAR_MEM", "PULSAR_GC", "PULSAR_GC_LOG", "PULSAR_EXTRA_OPTS"),
                env.stream().map(EnvVar::getName).toList());
        Map<String, String> v = values(env);
        assertEquals("-Xms1g -Xmx1g -XX:MaxDirectMemorySize=2g", v.get("PULSAR_MEM"));
        assertEquals("-XX:+UseZGC", v.get("PULSAR_GC"));
        assertEquals("-Xlog:gc*:file=/pulsar/logs/gc.log -Xlog:safepoint", v.get("PULSAR_GC_LOG"));
        assertEquals("-Dio.netty.leakDetectionLevel=disabled", v.get("PULSAR_EXTRA_OPTS"));
    }

    @Test
    void gcOnlyWhenSetAndEmptyMemoryKeepsDefault() {
        JvmOptions o = new JvmOptions();
        o.setMemoryOptions(List.of());
        o.setGcOptions(List.of(" "));
        ServicePodPolicy pod = new ServicePodPolicy();
        pod.setJvmOptions(o);
        Map<String, String> v = values(JvmEnv.jvm(pod));
        assertEquals(JvmEnv.DEFAULT_MEM, v.get("PULSAR_MEM"));
        assertFalse(v.containsKey("PULSAR_GC"));
        assertFalse(v.containsKey("PULSAR_GC_LOG"));
        assertFalse(v.containsKey("PULSAR_EXTRA_OPTS"));
    }

    @Test
    void userVarsComeLastAndReplaceOurs() {
        JvmOptions o = new JvmOptions();
        o.setGcOptions(List.of("-XX:+UseG1GC"));
        ServicePodPolicy pod = new ServicePodPolicy();
        pod.setJvmOptions(o);
        pod.setVars(List.of(PodTemplates.env("PULSAR_MEM", "-Xmx2g"), PodTemplates.env("MY_VAR", "x")));
        List<EnvVar> env = JvmEnv.env(List.of(PodTemplates.env("PULSAR_LOG_LEVEL", "info")), pod);
        assertEquals(List.of("PULSAR_LOG_LEVEL", "PULSAR_GC", "PULSAR_MEM", "MY_VAR"),
                env.stream().map(EnvVar::getName).toList());
        Map<String, String> v = values(env);
        assertEquals("-Xmx2g", v.get("PULSAR_MEM"));
        assertEquals("-XX:+UseG1GC", v.get("PULSAR_GC"));
        assertEquals("info", v.get("PULSAR_LOG_LEVEL"));
        assertEquals("x", v.get("MY_VAR"));
    }

    @Test
    void userVarCanReplaceABaseVariable() {
        ServicePodPolicy pod = new ServicePodPolicy();
        pod.setVars(List.of(PodTemplates.env("PULSAR_LOG_LEVEL", "debug")));
        Map<String, String> v = values(JvmEnv.env(List.of(PodTemplates.env("PULSAR_LOG_LEVEL", "info")), pod));
        assertEquals("debug", v.get("PULSAR_LOG_LEVEL"));
    }

    @Test
    void secretRefsBecomeReadOnlyMounts() {
        ServicePodPolicy pod = new ServicePodPolicy();
        pod.setSecretRefs(List.of(secretRef("jwt-key", "/pulsar/keys"), secretRef("oauth", "/pulsar/oauth")));
        List<Volume> volumes = JvmEnv.secretVolumes(pod);
        assertEquals(2, volumes.size());
        assertEquals("secret-jwt-key", volumes.get(0).getName());
        assertEquals("jwt-key", volumes.get(0).getSecret().getSecretName());
        assertEquals("secret-oauth", volumes.get(1).getName());
        assertEquals("oauth", volumes.get(1).getSecret().getSecretName());
        List<VolumeMount> mounts = JvmEnv.secretMounts(pod);
        assertEquals(2, mounts.size());
        assertEquals("secret-jwt-key", mounts.get(0).getName());
        assertEquals("/pulsar/keys", mounts.get(0).getMountPath());
        assertTrue(mounts.get(0).getReadOnly());
        assertEquals("/pulsar/oauth", mounts.get(1).getMountPath());
        assertTrue(mounts.get(1).getReadOnly());
    }

    @Test
    void sameSecretTwiceIsOneVolumeTwoMounts() {
        ServicePodPolicy pod = new ServicePodPolicy();
        pod.setSecretRefs(List.of(secretRef("shared", "/a"), secretRef("shared", "/b")));
        assertEquals(1, JvmEnv.secretVolumes(pod).size());
        assertEquals(List.of("/a", "/b"), JvmEnv.secretMounts(pod).stream().map(VolumeMount::getMountPath).toList());
    }

    @Test
    void noSecretRefsNoVolumes() {
        assertTrue(JvmEnv.secretVolumes(null).isEmpty());
        assertTrue(JvmEnv.secretMounts(new ServicePodPolicy()).isEmpty());
    }

    @Test
    void volumeNameIsAValidLabel() {
        String longName = "a".repeat(70);
        String name = JvmEnv.secretVolumeName(longName);
        assertEquals(63, name.length());
        assertEquals("secret-" + "a".repeat(56), name);
        assertEquals("secret-tls-example-com", JvmEnv.secretVolumeName("tls.example.com"));
        // truncation must not leave a trailing dash
        String cut = JvmEnv.secretVolumeName("b".repeat(55) + "-c-dddddd");
        assertFalse(cut.endsWith("-"), cut);
        assertTrue(cut.length() <= 63);
    }

    @Test
    void joinOfNothingIsNull() {
        assertNull(JvmEnv.join(null));
        assertNull(JvmEnv.join(List.of()));
        assertEquals("-a -b", JvmEnv.join(List.of(" -a", "-b ")));
    }
}
