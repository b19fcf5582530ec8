package io.pulsarmesh.operator.kube;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pulsarmesh.operator.config.OperatorConfig;

/**
 * Looks up what the mesh needs outside the operator's own objects, to explain what does not work, never to act on
 * it: the ingress gateway that a broker's Gateway selects (its pods, and the ports of the Services in front of them).
 * Answers are kept for {@code pulsar.operator.istio.discovery-interval}, so reconciliations do not list pods and
 * Services each time; a fixed gateway is seen within that interval.
 *
 * <p>It reads pods and Services (never Secrets): across the cluster where the operator may, otherwise in
 * {@value #DEFAULT_GATEWAY_NAMESPACE} only, where the namespace-scoped install grants it.
 */
@ApplicationScoped
public class Prerequisites {
    static final String DEFAULT_GATEWAY_NAMESPACE = "istio-system";

    @Inject
    KubernetesClient client;
    @Inject
    OperatorConfig config;

    /** Answers by key, with the time they were looked up. */
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(long at, Object value) {
    }

    /**
     * What was found for a gateway selector.
     *
     * @param pods gateway pods that match the selector, as {@code namespace/name}
     * @param services Services in front of them, as {@code namespace/name}
     * @param ports the ports those Services expose
     * @param error why nothing could be looked up (permissions, the API server), or {@code null}
     */
    public record Gateway(List<String> pods, List<String> services, Set<Integer> ports, String error) {
    }

    /** The ingress gateway pods that {@code selector} selects, and the ports of the Services in front of them. */
    public Gateway gateway(Map<String, String> selector) {
        return cached("gateway " + new java.util.TreeMap<>(selector), () -> lookUp(selector));
    }

    /** {@code lookUp}'s answer for {@code key}, kept for the discovery interval. */
    @SuppressWarnings("unchecked")
    public <T> T cached(String key, java.util.function.Supplier<T> lookUp) {
        long now = System.nanoTime();
        Cached hit = cache.get(key);
        if (hit != null && now - hit.at() < config.istio().discoveryInterval().toNanos()) {
            return (T) hit.value();
        }
        T value = lookUp.get();
        cache.put(key, new Cached(now, value));
        return value;
    }

    /** Forgets what was looked up, so the next question asks the API server. */
    public void forget() {
        cache.clear();
    }

    Gateway lookUp(Map<String, String> selector) {
        List<Pod> pods;
        try {
            pods = client.pods().inAnyNamespace().withLabels(selector).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                return new Gateway(List.of(), List.of(), Set.of(), "listing pods failed: " + e.getMessage());
            }
            try {
                pods = client.pods().inNamespace(DEFAULT_GATEWAY_NAMESPACE).withLabels(selector).list().getItems();
            } catch (KubernetesClientException e2) {
                return new Gateway(List.of(), List.of(), Set.of(), "the operator may not list pods across namespaces "
                        + "nor in " + DEFAULT_GATEWAY_NAMESPACE + " (" + e2.getCode() + ")");
            }
        }
        List<String> podNames = pods.stream().map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
                .sorted().toList();
        List<String> services = new ArrayList<>();
        Set<Integer> ports = new TreeSet<>();
        Set<String> namespaces = pods.stream().map(p -> p.getMetadata().getNamespace()).collect(Collectors.toSet());
        for (String ns : new TreeSet<>(namespaces)) {
            List<Service> inNs;
            try {
                inNs = client.services().inNamespace(ns).list().getItems();
            } catch (KubernetesClientException e) {
                return new Gateway(podNames, List.of(), Set.of(), "listing Services in " + ns + " failed ("
                        + e.getCode() + ")");
            }
            for (Service s : inNs) {
                Map<String, String> sel = s.getSpec() != null ? s.getSpec().getSelector() : null;
                if (sel == null || sel.isEmpty() || pods.stream().noneMatch(p -> selects(sel, p))) {
                    continue;
                }
                services.add(ns + "/" + s.getMetadata().getName());
                for (ServicePort port : s.getSpec().getPorts() == null ? List.<ServicePort>of() : s.getSpec().getPorts()) {
                    if (port.getPort() != null) {
                        ports.add(port.getPort());
                    }
                }
            }
        }
        return new Gateway(podNames, services, ports, null);
    }

    static boolean selects(Map<String, String> selector, Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
