package io.pulsarmesh.operator.model.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.LogConfig;
import io.pulsarmesh.operator.api.common.v1alpha1.PodPolicy;
import io.pulsarmesh.operator.model.istio.Mesh;
import io.pulsarmesh.operator.model.istio.MeshPods;

/**
 * The parts of a pod template every component shares: scheduling from {@code spec.pod}, a restricted security
 * context, the operator's ConfigMap volume, logging environment, and the configuration hash that rolls pods when
 * their configuration changes.
 */
public final class PodTemplates {
    public static final long DEFAULT_TERMINATION_GRACE_SECONDS = 60;

    private PodTemplates() {
    }

    /** The service account the pods run as: the user's, else the namespace's default one. */
    public static String serviceAccount(PodPolicy pod) {
        return pod != null && pod.getServiceAccountName() != null && !pod.getServiceAccountName().isBlank()
                ? pod.getServiceAccountName()
                : "default";
    }

    /** Image of a component: its own, else the operator's default. */
    public static String image(ComponentSpec spec, ModelSettings settings) {
        return spec.getImage() != null && !spec.getImage().isBlank() ? spec.getImage() : settings.defaultImage();
    }

    public static String pullPolicy(ComponentSpec spec) {
        return spec.getImagePullPolicy() != null ? spec.getImagePullPolicy() : "IfNotPresent";
    }

    /**
     * Pod metadata: user labels and annotations, the selector labels (which win), the config hash, and the labels and
     * annotations that put the pod in the mesh or keep it out ({@link MeshPods}).
     */
    public static ObjectMeta podMeta(PodPolicy pod, Map<String, String> objectLabels, String configHash, Mesh mesh) {
        return MeshPods.apply(podMeta(pod, objectLabels, configHash), mesh, pod != null ? pod.getLabels() : null);
    }

    /** Pod metadata: user labels and annotations, then the selector labels (which win) and the config hash. */
    public static ObjectMeta podMeta(PodPolicy pod, Map<String, String> objectLabels, String configHash) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (pod != null && pod.getLabels() != null) {
            labels.putAll(pod.getLabels());
        }
        labels.putAll(objectLabels);
        Map<String, String> annotations = new LinkedHashMap<>();
        if (pod != null && pod.getAnnotations() != null) {
            annotations.putAll(pod.getAnnotations());
        }
        annotations.put(Labels.CONFIG_HASH_ANNOTATION, configHash);
        return new ObjectMetaBuilder().withLabels(labels).withAnnotations(annotations).build();
    }

    /**
     * A pod spec around {@code main}: scheduling, security, the ConfigMap volume and the user's extra containers and
     * volumes.
     */
    public static PodSpec podSpec(PodPolicy pod, ModelSettings settings, Map<String, String> selector, String configMap,
            Container main, List<Volume> volumes) {
        PodPolicy p = pod != null ? pod : new PodPolicy();
        List<Container> containers = new ArrayList<>();
        containers.add(main);
        if (p.getSidecars() != null) {
            containers.addAll(p.getSidecars());
        }
        List<Volume> allVolumes = new ArrayList<>();
        allVolumes.add(new VolumeBuilder().withName(Scripts.CONFIG_VOLUME)
                .withNewConfigMap().withName(configMap).withDefaultMode(0555).endConfigMap().build());
        allVolumes.addAll(volumes);
        if (p.getVolumes() != null) {
            allVolumes.addAll(p.getVolumes());
        }
        return new PodSpecBuilder()
                .withServiceAccountName(p.getServiceAccountName())
                .withImagePullSecrets(p.getImagePullSecrets())
                .withNodeSelector(p.getNodeSelector())
                .withTolerations(p.getTolerations())
                .withAffinity(p.getAffinity() != null ? p.getAffinity() : spreadAcrossNodes(selector))
                .withTopologySpreadConstraints(p.getTopologySpreadConstraints())
                .withSecurityContext(podSecurity(p.getSecurityContext(), settings))
                .withTerminationGracePeriodSeconds(p.getTerminationGracePeriodSeconds() != null
                        ? p.getTerminationGracePeriodSeconds()
                        : DEFAULT_TERMINATION_GRACE_SECONDS)
                .withInitContainers(p.getInitContainers())
                .withContainers(containers)
                .withVolumes(allVolumes)
                .build();
    }

    /** Preferred anti-affinity: pods of one component land on different nodes where the scheduler can. */
    public static Affinity spreadAcrossNodes(Map<String, String> selector) {
        return new AffinityBuilder().withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100)
                .withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector().withMatchLabels(selector).endLabelSelector()
                .endPodAffinityTerm().endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().build();
    }

    /**
     * The user's pod security context, with what it leaves unset filled in: non-root, runtime-default seccomp, and
     * the volume group (so the image's user, whose group is 0, can write to fresh volumes) where the platform does
     * not assign one. Values the user sets always win.
     */
    public static PodSecurityContext podSecurity(PodSecurityContext user, ModelSettings settings) {
        PodSecurityContextBuilder b = user != null ? new PodSecurityContextBuilder(user) : new PodSecurityContextBuilder();
        PodSecurityContext base = b.build();
        if (base.getRunAsNonRoot() == null) {
            b.withRunAsNonRoot(true);
        }
        if (base.getSeccompProfile() == null) {
            b.withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
        }
        if (base.getFsGroup() == null && settings.podFsGroup() != null) {
            b.withFsGroup(settings.podFsGroup());
            if (base.getFsGroupChangePolicy() == null) {
                b.withFsGroupChangePolicy("OnRootMismatch");
            }
        }
        return b.build();
    }

    /** No privilege escalation, no capabilities. The root file system stays writable: Pulsar rewrites its conf/. */
    public static SecurityContext containerSecurity() {
        return new SecurityContextBuilder().withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities().build();
    }

    public static VolumeMount configMount() {
        return new VolumeMountBuilder().withName(Scripts.CONFIG_VOLUME).withMountPath(Scripts.OPERATOR_DIR)
                .withReadOnly(true).build();
    }

    /** Environment that sets log level, format and (with a template) the log4j2 file. */
    public static List<EnvVar> logEnv(LogConfig log) {
        List<EnvVar> env = new ArrayList<>();
        String level = log != null && log.getLevel() != null ? log.getLevel() : "INFO";
        env.add(env("PULSAR_LOG_LEVEL", level.toLowerCase(Locale.ROOT)));
        env.add(env("PULSAR_LOG_ROOT_LEVEL", level.toLowerCase(Locale.ROOT)));
        if (log != null && "json".equals(log.getFormat())) {
            env.add(env("PULSAR_LOG_FORMAT", "json"));
        }
        if (log != null && log.getTemplate() != null && !log.getTemplate().isBlank()) {
            env.add(env("PULSAR_LOG_CONF", Scripts.OPERATOR_DIR + "/" + Scripts.LOG4J_FILE));
        }
        return env;
    }

    /** The pod's own name and IP, from the downward API. */
    public static List<EnvVar> podIdentityEnv() {
        return List.of(
                new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
                        .withFieldPath("metadata.name").endFieldRef().endValueFrom().build(),
                new EnvVarBuilder().withName("POD_IP").withNewValueFrom().withNewFieldRef()
                        .withFieldPath("status.podIP").endFieldRef().endValueFrom().build());
    }

    public static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    /**
     * A component's ConfigMap: the keys the operator sets in its configuration file, its start script and, with a
     * template, its log4j2 configuration.
     */
    public static ConfigMap configMap(HasMetadata owner, String name, Map<String, String> labels, String confFile,
            ConfigFile conf, String startScript, LogConfig log) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(confFile, conf.render());
        files.put(Scripts.START_SCRIPT, startScript);
        return new ConfigMapBuilder().withMetadata(Meta.owned(owner, name, labels))
                .withData(configMapData(files, log)).build();
    }

    /** A ConfigMap's data plus the log template, if any. */
    public static Map<String, String> configMapData(Map<String, String> files, LogConfig log) {
        Map<String, String> data = new TreeMap<>(files);
        if (log != null && log.getTemplate() != null && !log.getTemplate().isBlank()) {
            data.put(Scripts.LOG4J_FILE, log.getTemplate());
        }
        return data;
    }

    /** Stable short hash of a ConfigMap's data, put on the pod template so a change rolls the pods. */
    public static String hash(Map<String, String> data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(data).forEach((k, v) -> {
                md.update(k.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(v.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            });
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
