package io.pulsarmesh.operator.model.common;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.ServicePodPolicy;

/**
 * What brokers and proxies share: both are Pulsar services with a web port that serves {@code /status.html}, the
 * same JVM and Secret handling, and TLS files from one mounted Secret.
 */
public final class PulsarServices {
    public static final int PULSAR_PORT = 6650;
    public static final int PULSAR_TLS_PORT = 6651;
    public static final int WEB_PORT = 8080;
    public static final int WEB_TLS_PORT = 8443;
    public static final String CERTS_DIR = "/pulsar/certs";
    public static final String CERTS_VOLUME = "certs";

    private PulsarServices() {
    }

    /** Service ports of a broker or proxy: Pulsar 6650 and web 8080, plus 6651 and 8443 with TLS. */
    public static List<ServicePort> ports(boolean tls) {
        List<ServicePort> ports = new ArrayList<>();
        ports.add(Workloads.servicePort("tcp-pulsar", PULSAR_PORT));
        ports.add(Workloads.servicePort("http-web", WEB_PORT));
        if (tls) {
            ports.add(Workloads.servicePort("tls-pulsar", PULSAR_TLS_PORT));
            ports.add(Workloads.servicePort("https-web", WEB_TLS_PORT));
        }
        return ports;
    }

    /** The TLS file keys of broker.conf and proxy.conf, pointing into the mounted certificate Secret. */
    public static ConfigFile putTlsFiles(ConfigFile f) {
        return f.put("tlsCertificateFilePath", CERTS_DIR + "/tls.crt")
                .put("tlsKeyFilePath", CERTS_DIR + "/tls.key")
                .put("tlsTrustCertsFilePath", CERTS_DIR + "/ca.crt");
    }

    /** Mounts the certificate Secret read-only at {@link #CERTS_DIR}. */
    public static void mountCerts(String secretName, List<Volume> volumes, List<VolumeMount> mounts) {
        volumes.add(new VolumeBuilder().withName(CERTS_VOLUME).withNewSecret().withSecretName(secretName).endSecret()
                .build());
        mounts.add(new VolumeMountBuilder().withName(CERTS_VOLUME).withMountPath(CERTS_DIR).withReadOnly(true)
                .build());
    }

    /** GET /status.html on the web port: answers once the service writes its status file and serves. */
    public static Probe statusProbe(int period, int failureThreshold) {
        return new ProbeBuilder().withNewHttpGet().withPath("/status.html").withPort(new IntOrString(WEB_PORT))
                .endHttpGet().withPeriodSeconds(period).withTimeoutSeconds(5).withFailureThreshold(failureThreshold)
                .build();
    }

    /** The main container: the start script, the Service's ports, JVM and user environment, status probes. */
    public static Container container(String name, ComponentSpec spec, ServicePodPolicy pod, List<ServicePort> ports,
            ModelSettings settings, List<VolumeMount> mounts) {
        List<ContainerPort> containerPorts = new ArrayList<>();
        for (ServicePort p : ports) {
            containerPorts.add(Workloads.containerPort(p.getName(), p.getPort()));
        }
        List<EnvVar> base = new ArrayList<>(PodTemplates.podIdentityEnv());
        base.addAll(PodTemplates.logEnv(spec.getLogConfig()));
        return new ContainerBuilder()
                .withName(name)
                .withImage(PodTemplates.image(spec, settings))
                .withImagePullPolicy(PodTemplates.pullPolicy(spec))
                .withCommand("bash", Scripts.OPERATOR_DIR + "/" + Scripts.START_SCRIPT)
                .withPorts(containerPorts)
                .withEnv(JvmEnv.env(base, pod))
                .withResources(pod != null ? pod.getResources() : null)
                .withStartupProbe(statusProbe(10, 60))
                .withReadinessProbe(statusProbe(10, 3))
                .withLivenessProbe(statusProbe(15, 6))
                .withSecurityContext(PodTemplates.containerSecurity())
                .withVolumeMounts(mounts)
                .build();
    }
}
