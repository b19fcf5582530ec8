package io.pulsarmesh.operator.kube;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pulsarmesh.operator.config.OperatorConfig;

/**
 * Whether the API server serves the Istio kinds the operator writes ({@code networking.istio.io/v1} and
 * {@code security.istio.io/v1}, Istio 1.22 or later), found by API discovery, which every authenticated client may
 * read (no permission on CustomResourceDefinitions is needed).
 *
 * <p>Once found, Istio is taken as present for the life of the process. While it is absent, discovery is asked again
 * at most once per {@code pulsar.operator.istio.discovery-interval}, so that installing Istio after the operator
 * needs no restart.
 */
@ApplicationScoped
public class IstioAvailability {
    private static final Logger LOG = Logger.getLogger(IstioAvailability.class);
    static final String NETWORKING = "networking.istio.io/v1";
    static final String SECURITY = "security.istio.io/v1";
    static final Set<String> NETWORKING_KINDS = Set.of("Gateway", "VirtualService", "DestinationRule", "ServiceEntry");
    static final Set<String> SECURITY_KINDS = Set.of("PeerAuthentication", "AuthorizationPolicy");

    @Inject
    KubernetesClient client;
    @Inject
    OperatorConfig config;

    private volatile boolean present;
    private volatile boolean uncertain;
    private long lastCheck;

    /** The last discovery failed for another reason than the APIs being absent (so Istio may be there). */
    public boolean uncertain() {
        return !present && uncertain;
    }

    /** True when every Istio kind the operator writes is served. */
    public boolean present() {
        if (present) {
            return true;
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (present || (lastCheck != 0 && now - lastCheck < config.istio().discoveryInterval().toNanos())) {
                return present;
            }
            lastCheck = now;
            uncertain = false;
            present = serves(NETWORKING, NETWORKING_KINDS) && serves(SECURITY, SECURITY_KINDS);
            if (present) {
                LOG.info("Istio APIs found (networking.istio.io/v1, security.istio.io/v1): Istio objects are managed");
            } else {
                LOG.debugf("Istio APIs not served; asking again in %s", config.istio().discoveryInterval());
            }
            return present;
        }
    }

    private boolean serves(String groupVersion, Set<String> kinds) {
        try {
            APIResourceList list = client.getApiResources(groupVersion);
            if (list == null || list.getResources() == null) {
                return false;
            }
            List<APIResource> resources = list.getResources();
            return resources.stream().map(APIResource::getKind).collect(Collectors.toSet()).containsAll(kinds);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                uncertain = true;
                LOG.warnf("API discovery of %s failed: %s", groupVersion, e.getMessage());
            }
            return false;
        }
    }
}
