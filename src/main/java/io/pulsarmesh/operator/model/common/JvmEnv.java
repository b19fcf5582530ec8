package io.pulsarmesh.operator.model.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pulsarmesh.operator.api.common.v1alpha1.JvmOptions;
import io.pulsarmesh.operator.api.common.v1alpha1.SecretRef;
import io.pulsarmesh.operator.api.common.v1alpha1.ServicePodPolicy;

/**
 * What a broker's or proxy's {@link ServicePodPolicy} adds to the main container: the JVM options as the environment
 * variables {@code bin/pulsar} reads ({@code PULSAR_MEM}, {@code PULSAR_GC}, {@code PULSAR_GC_LOG},
 * {@code PULSAR_EXTRA_OPTS}), the user's own variables, and read-only mounts of {@code secretRefs}.
 */
public final class JvmEnv {
    /** Heap as a share of the container's memory limit, leaving room for direct memory. */
    public static final String DEFAULT_MEM = "-XX:InitialRAMPercentage=30 -XX:MaxRAMPercentage=30";
    static final int MAX_VOLUME_NAME = 63;

    private JvmEnv() {
    }

    /** The JVM variables; {@code PULSAR_MEM} always, the others only when their options are set. */
    public static List<EnvVar> jvm(ServicePodPolicy pod) {
        JvmOptions o = pod != null && pod.getJvmOptions() != null ? pod.getJvmOptions() : new JvmOptions();
        List<EnvVar> env = new ArrayList<>();
        String mem = join(o.getMemoryOptions());
        env.add(PodTemplates.env("PULSAR_MEM", mem != null ? mem : DEFAULT_MEM));
        add(env, "PULSAR_GC", join(o.getGcOptions()));
        add(env, "PULSAR_GC_LOG", join(o.getGcLoggingOptions()));
        add(env, "PULSAR_EXTRA_OPTS", join(o.getExtraOptions()));
        return env;
    }

    /**
     * {@code ours} followed by the user's {@code pod.vars}. A user variable named like one of ours replaces it (ours is
     * dropped, the user's comes last), so that every name appears once.
     */
    public static List<EnvVar> withUserVars(List<EnvVar> ours, ServicePodPolicy pod) {
        Map<String, EnvVar> byName = new LinkedHashMap<>();
        ours.forEach(e -> byName.put(e.getName(), e));
        if (pod != null && pod.getVars() != null) {
            for (EnvVar v : pod.getVars()) {
                byName.remove(v.getName());
                byName.put(v.getName(), v);
            }
        }
        return new ArrayList<>(byName.values());
    }

    /** {@code base} (pod identity, logging, ...), the JVM variables, then the user's variables. */
    public static List<EnvVar> env(List<EnvVar> base, ServicePodPolicy pod) {
        List<EnvVar> ours = new ArrayList<>(base);
        ours.addAll(jvm(pod));
        return withUserVars(ours, pod);
    }

    /** Volume of a Secret from {@code secretRefs}: {@code secret-<secretName>}, made a valid DNS label. */
    public static String secretVolumeName(String secretName) {
        String name = ("secret-" + secretName).replace('.', '-');
        if (name.length() > MAX_VOLUME_NAME) {
            name = name.substring(0, MAX_VOLUME_NAME);
        }
        while (name.endsWith("-")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    /** One Secret volume per distinct Secret of {@code pod.secretRefs}. */
    public static List<Volume> secretVolumes(ServicePodPolicy pod) {
        Map<String, Volume> volumes = new LinkedHashMap<>();
        for (SecretRef ref : secretRefs(pod)) {
            volumes.computeIfAbsent(secretVolumeName(ref.getSecretName()), n -> new VolumeBuilder().withName(n)
                    .withNewSecret().withSecretName(ref.getSecretName()).endSecret().build());
        }
        return new ArrayList<>(volumes.values());
    }

    /** A read-only mount per entry of {@code pod.secretRefs}. */
    public static List<VolumeMount> secretMounts(ServicePodPolicy pod) {
        List<VolumeMount> mounts = new ArrayList<>();
        for (SecretRef ref : secretRefs(pod)) {
            mounts.add(new VolumeMountBuilder().withName(secretVolumeName(ref.getSecretName()))
                    .withMountPath(ref.getMountPath()).withReadOnly(true).build());
        }
        return mounts;
    }

    private static List<SecretRef> secretRefs(ServicePodPolicy pod) {
        return pod != null && pod.getSecretRefs() != null ? pod.getSecretRefs() : List.of();
    }

    private static void add(List<EnvVar> env, String name, String value) {
        if (value != null) {
            env.add(PodTemplates.env(name, value));
        }
    }

    /** Options joined by a space; {@code null} when there are none. */
    static String join(List<String> options) {
        if (options == null) {
            return null;
        }
        String joined = String.join(" ", options.stream().filter(s -> s != null && !s.isBlank()).map(String::trim)
                .toList());
        return joined.isEmpty() ? null : joined;
    }
}
