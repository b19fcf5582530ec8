package io.pulsarmesh.operator.model.istio;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a component needs from the mesh outside its own objects, judged from what was found: the ingress gateway a
 * broker's Gateway selects (its pods, and a Service port for every Gateway server), and ztunnel for ambient pods.
 * Pure; the lookups are {@code kube/Prerequisites}. The result is the {@value #CONDITION} condition: it explains, it
 * never stops the rest of the reconciliation.
 */
public final class MeshPrerequisites {
    public static final String CONDITION = "PrerequisitesMet";
    public static final String REASON_MET = "PrerequisitesMet";
    public static final String REASON_GATEWAY_NOT_FOUND = "GatewayNotFound";
    public static final String REASON_GATEWAY_PORTS = "GatewayPortsMissing";
    public static final String REASON_NOT_CHECKED = "PrerequisitesNotChecked";
    public static final String REASON_ZTUNNEL = "ZtunnelNotReady";

    /** One prerequisite looked at: {@code problem} is {@code null} when it is met. */
    public record Check(String what, Problem problem) {
    }

    public record Problem(String reason, String message) {
    }

    private MeshPrerequisites() {
    }

    /**
     * The ingress gateway: pods match {@code selector}, and the Services in front of them expose every port in
     * {@code required} (port → what needs it).
     */
    public static Check gateway(Map<String, String> selector, Map<Integer, String> required, List<String> pods,
            List<String> services, Set<Integer> ports, String error) {
        String sel = selector.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted()
                .collect(Collectors.joining(","));
        String what = "ingress gateway " + sel;
        if (error != null) {
            return new Check(what, new Problem(REASON_NOT_CHECKED, "the ingress gateway (" + sel
                    + ") could not be looked up: " + error));
        }
        if (pods.isEmpty()) {
            return new Check(what, new Problem(REASON_GATEWAY_NOT_FOUND, "no ingress gateway pod matches "
                    + "spec.istio.gateway.selector (" + sel + "): install an Istio ingress gateway with these labels, "
                    + "or set the selector to the labels of yours"));
        }
        if (services.isEmpty()) {
            return new Check(what, new Problem(REASON_GATEWAY_NOT_FOUND, "no Service selects the ingress gateway pods "
                    + String.join(", ", pods) + ": clients outside the cluster cannot reach them"));
        }
        List<String> missing = required.entrySet().stream().filter(e -> !ports.contains(e.getKey()))
                .map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
        if (!missing.isEmpty()) {
            return new Check(what, new Problem(REASON_GATEWAY_PORTS, "the ingress gateway's Service "
                    + String.join(", ", services) + " lacks port" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing) + ": add " + (missing.size() == 1 ? "it" : "them")
                    + " to the gateway's Service (it exposes " + ports + ")"));
        }
        return new Check(what, null);
    }

    /** ztunnel, for pods in ambient: {@code problem} is what the migration's check found, {@code null} when ready. */
    public static Check ztunnel(String problem) {
        return new Check("ztunnel", problem == null ? null : new Problem(REASON_ZTUNNEL, problem));
    }

    /** The condition: {@code null} when nothing was checked; the first problem's reason, every problem's message. */
    public static io.pulsarmesh.operator.api.common.v1alpha1.Condition condition(List<Check> checks, Long generation) {
        if (checks.isEmpty()) {
            return null;
        }
        List<Problem> problems = checks.stream().map(Check::problem).filter(p -> p != null).toList();
        if (problems.isEmpty()) {
            return io.pulsarmesh.operator.status.Conditions.of(CONDITION, true, REASON_MET, "met: "
                    + String.join(", ", checks.stream().map(Check::what).toList()), generation);
        }
        return io.pulsarmesh.operator.status.Conditions.of(CONDITION, false, problems.get(0).reason(),
                String.join("; ", problems.stream().map(Problem::message).toList()), generation);
    }
}
