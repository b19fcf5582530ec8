package io.pulsarmesh.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The files in {@code kubernetes/monitoring/} parse, point at the operator's pods, and every metric, label and label
 * value their queries use is one the operator exports, so that neither an alert nor a dashboard panel can silently
 * watch a series that never exists.
 */
class MonitoringManifestsTest {
    static final Path DIR = Path.of("kubernetes/monitoring");
    /** Labels Prometheus adds to every series scraped through a PodMonitor. */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance", "namespace", "pod", "container", "endpoint");
    /** Labels whose values are names chosen by users: any value may be matched. */
    static final Set<String> FREE_LABELS = Set.of("namespace", "name", "job", "instance", "pod", "container",
            "endpoint");

    final KubernetesSerialization serialization = new KubernetesSerialization();

    GenericKubernetesResource load(String file) throws IOException {
        Object parsed = serialization.unmarshal(Files.readString(DIR.resolve(file)));
        return assertInstanceOf(GenericKubernetesResource.class, parsed, file);
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            assertInstanceOf(Map.class, current, "at " + key);
            current = ((Map<String, Object>) current).get(key);
        }
        return (T) current;
    }

    // ---- the manifests ----

    @Test
    void kustomizationListsBothManifests() throws IOException {
        GenericKubernetesResource k = load("kustomization.yaml");
        assertEquals("Kustomization", k.getKind());
        List<String> resources = at(k.getAdditionalProperties(), "resources");
        assertEquals(List.of("pod-monitor.yaml", "prometheus-rule.yaml"), resources);
        for (String r : resources) {
            assertTrue(Files.isRegularFile(DIR.resolve(r)), r);
        }
    }

    @Test
    void podMonitorSelectsTheOperatorPodsAndTheirMetricsPort() throws IOException {
        GenericKubernetesResource monitor = load("pod-monitor.yaml");
        assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
        assertEquals("PodMonitor", monitor.getKind());
        assertEquals("pulsar-mesh-operator", monitor.getMetadata().getNamespace());

        Deployment operator = serialization.unmarshal(Files.readString(Path.of("kubernetes/install/deployment.yaml")),
                Deployment.class);
        Map<String, String> podLabels = operator.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> selector = at(monitor.getAdditionalProperties(), "spec", "selector", "matchLabels");
        assertEquals("pulsar-mesh-operator", selector.get("app.kubernetes.io/name"));
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), selector + " within " + podLabels);
        List<String> namespaces = at(monitor.getAdditionalProperties(), "spec", "namespaceSelector", "matchNames");
        assertEquals(List.of(operator.getMetadata().getNamespace()), namespaces);

        List<Map<String, Object>> endpoints = at(monitor.getAdditionalProperties(), "spec", "podMetricsEndpoints");
        assertEquals(1, endpoints.size());
        Map<String, Object> endpoint = endpoints.get(0);
        Set<String> ports = new HashSet<>();
        for (Container c : operator.getSpec().getTemplate().getSpec().getContainers()) {
            c.getPorts().stream().map(ContainerPort::getName).forEach(ports::add);
        }
        assertEquals("http", endpoint.get("port"));
        assertTrue(ports.contains((String) endpoint.get("port")), "port " + endpoint.get("port") + " in " + ports);
        assertEquals("/q/metrics", endpoint.get("path"));
        // Our series carry the Pulsar cluster's namespace; the target's must not rename it to exported_namespace.
        assertEquals(Boolean.TRUE, endpoint.get("honorLabels"));
    }

    @Test
    void prometheusRuleHasTheAlerts() throws IOException {
        GenericKubernetesResource rule = load("prometheus-rule.yaml");
        assertEquals("monitoring.coreos.com/v1", rule.getApiVersion());
        assertEquals("PrometheusRule", rule.getKind());
        assertEquals("pulsar-mesh-operator", rule.getMetadata().getNamespace());

        Map<String, Map<String, Object>> alerts = alerts(rule);
        assertEquals(Map.of("PulsarMeshMigrationStalled", "5m", "PulsarMeshMigrationRefused", "15m",
                "PulsarMeshMigrationPrerequisitesNotMet", "15m", "PulsarComponentNotReady", "15m",
                "PulsarOperatorReconcileErrors", "10m"), forDurations(alerts));
        for (Map.Entry<String, Map<String, Object>> a : alerts.entrySet()) {
            assertFalse(((String) at(a.getValue(), "annotations", "summary")).isBlank(), a.getKey());
            assertFalse(((String) at(a.getValue(), "annotations", "description")).isBlank(), a.getKey());
            assertTrue(at(a.getValue(), "labels", "severity") != null, a.getKey());
        }
        assertTrue(expr(alerts, "PulsarMeshMigrationStalled").contains("phase=\"Stalled\""));
        assertTrue(expr(alerts, "PulsarMeshMigrationRefused").contains("phase=\"Refused\""));
        assertTrue(expr(alerts, "PulsarMeshMigrationPrerequisitesNotMet").contains("phase=\"PrerequisitesNotMet\""));
        assertEquals(Set.of("pulsar_operator_component_ready"),
                selectors(expr(alerts, "PulsarComponentNotReady")).keySet());
        assertEquals(Set.of("pulsar_operator_reconciliations_total"),
                selectors(expr(alerts, "PulsarOperatorReconcileErrors")).keySet());
    }

    static String expr(Map<String, Map<String, Object>> alerts, String alert) {
        return (String) alerts.get(alert).get("expr");
    }

    static Map<String, String> forDurations(Map<String, Map<String, Object>> alerts) {
        Map<String, String> durations = new LinkedHashMap<>();
        alerts.forEach((name, rule) -> durations.put(name, (String) rule.get("for")));
        return durations;
    }

    static Map<String, Map<String, Object>> alerts(GenericKubernetesResource rule) {
        Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
        List<Map<String, Object>> groups = at(rule.getAdditionalProperties(), "spec", "groups");
        for (Map<String, Object> group : groups) {
            List<Map<String, Object>> rules = at(group, "rules");
            for (Map<String, Object> r : rules) {
                assertTrue(r.get("expr") instanceof String, "expr of " + r);
                alerts.put((String) r.get("alert"), r);
            }
        }
        return alerts;
    }

    @Test
    void dashboardIsGrafanaJsonWithAQueryInEveryPanel() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DIR.resolve("grafana-dashboard.json").toFile());
        assertFalse(dashboard.path("title").asText().isBlank());
        assertFalse(dashboard.path("uid").asText().isBlank());
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "duplicate panel id " + panel.path("id"));
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertTrue(panel.path("targets").size() > 0, panel.path("title").asText());
            for (JsonNode target : panel.path("targets")) {
                assertFalse(target.path("expr").asText().isBlank(), panel.path("title").asText());
            }
        }
        assertTrue(ids.size() >= 6, "panels: " + ids.size());
    }

    // ---- every query against what the operator exports ----

    @Test
    void everyQueryUsesOnlyExportedMetricsLabelsAndValues() throws IOException {
        Map<String, Map<String, Set<String>>> exported = ExportedMetrics.samples(ExportedMetrics.exercised().scrape());
        Map<String, String> queries = queries();
        assertTrue(queries.size() >= 10, "queries found: " + queries.keySet());

        Set<String> used = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        queries.forEach((where, query) -> {
            Map<String, List<LabelMatcher>> selectors = selectors(query);
            if (selectors.isEmpty()) {
                problems.add(where + ": no metric in " + query);
            }
            Set<String> labelsInScope = new HashSet<>(TARGET_LABELS);
            selectors.forEach((metric, matchers) -> {
                used.add(metric);
                Map<String, Set<String>> labels = exported.get(metric);
                if (labels == null) {
                    problems.add(where + ": " + metric + " is not exported");
                    return;
                }
                labelsInScope.addAll(labels.keySet());
                for (LabelMatcher m : matchers) {
                    if (!labels.containsKey(m.label()) && !TARGET_LABELS.contains(m.label())) {
                        problems.add(where + ": " + metric + " has no label " + m.label());
                    } else if (!FREE_LABELS.contains(m.label())) {
                        for (String value : m.literalValues()) {
                            if (!labels.getOrDefault(m.label(), Set.of()).contains(value)) {
                                problems.add(where + ": " + metric + "{" + m.label() + "} never is " + value
                                        + " (only " + labels.get(m.label()) + ")");
                            }
                        }
                    }
                }
            });
            for (String label : groupingLabels(query)) {
                if (!labelsInScope.contains(label)) {
                    problems.add(where + ": grouping by " + label + ", which none of its metrics has");
                }
            }
        });
        assertEquals(List.of(), problems);
        // The rules and the dashboard between them watch every migration metric.
        assertTrue(used.containsAll(Set.of("pulsar_operator_mesh_migration_phase",
                "pulsar_operator_mesh_migration_component_pods", "pulsar_operator_mesh_migration_transitions_total",
                "pulsar_operator_mesh_migration_stalls_total",
                "pulsar_operator_mesh_migration_phase_duration_seconds_sum",
                "pulsar_operator_mesh_migration_phase_duration_seconds_count", "pulsar_operator_component_ready",
                "pulsar_operator_reconciliations_total", "pulsar_operator_managed_resources")), used.toString());
    }

    /** Every PromQL query of the rules and the dashboard (panel targets and template variables), by where it is. */
    Map<String, String> queries() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        alerts(load("prometheus-rule.yaml")).forEach((name, rule) -> queries.put("alert " + name,
                (String) rule.get("expr")));
        JsonNode dashboard = new ObjectMapper().readTree(DIR.resolve("grafana-dashboard.json").toFile());
        collectExprs(dashboard, "dashboard", queries);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (!variable.path("type").asText().equals("query")) {
                continue;
            }
            JsonNode q = variable.path("query");
            String text = q.isTextual() ? q.asText() : q.path("query").asText();
            Matcher m = LABEL_VALUES.matcher(text.trim());
            assertTrue(m.matches(), "variable " + variable.path("name").asText() + ": " + text);
            queries.put("variable " + variable.path("name").asText(), m.group(1));
        }
        return queries;
    }

    static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)");

    static void collectExprs(JsonNode node, String where, Map<String, String> into) {
        if (node.isObject()) {
            String here = node.has("title") ? where + " > " + node.get("title").asText() : where;
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("expr") && e.getValue().isTextual()) {
                    into.put(here + " [" + node.path("refId").asText() + "]", e.getValue().asText());
                } else {
                    collectExprs(e.getValue(), here, into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectExprs(child, where, into));
        }
    }

    // ---- a small PromQL reader: enough to find metric names, their matchers and grouping labels ----

    /** One label matcher: {@code label op "value"}. */
    record LabelMatcher(String label, String op, String value) {
        /** The values an {@code =} or {@code =~} matcher requires literally; none for variables or real regexes. */
        List<String> literalValues() {
            if (value.contains("$") || op.startsWith("!")) {
                return List.of();
            }
            if (op.equals("=")) {
                return List.of(value);
            }
            return value.matches("[A-Za-z0-9_-]+(\\|[A-Za-z0-9_-]+)*") ? List.of(value.split("\\|")) : List.of();
        }
    }

    static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "inf", "nan");
    static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    static final Pattern TOKEN = Pattern.compile("(?<str>\"(?:[^\"\\\\]|\\\\.)*\")"
            + "|(?<id>[a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(?<sel>\\{[^}]*\\})?(?<call>\\s*\\()?"
            + "|(?<bare>\\{[^}]*\\})" + "|(?<num>[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?[a-z]*)");
    static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The metric names a query reads, each with the matchers of every selector naming it. */
    static Map<String, List<LabelMatcher>> selectors(String query) {
        String q = GROUPING.matcher(query).replaceAll(" ").replaceAll("\\[[^\\]]*\\]", " ")
                .replaceAll("\\boffset\\s+\\S+", " ");
        Map<String, List<LabelMatcher>> selectors = new LinkedHashMap<>();
        Matcher t = TOKEN.matcher(q);
        while (t.find()) {
            if (t.group("bare") != null) {
                throw new IllegalArgumentException("selector without a metric name in " + query);
            }
            String id = t.group("id");
            if (id == null || t.group("call") != null || KEYWORDS.contains(id.toLowerCase())) {
                continue;
            }
            List<LabelMatcher> matchers = selectors.computeIfAbsent(id, k -> new ArrayList<>());
            if (t.group("sel") != null) {
                Matcher m = MATCHER.matcher(t.group("sel"));
                while (m.find()) {
                    matchers.add(new LabelMatcher(m.group(1), m.group(2), m.group(3)));
                }
            }
        }
        return selectors;
    }

    /** The labels of every {@code by (...)}, {@code without (...)}, {@code on (...)} and the like. */
    static Set<String> groupingLabels(String query) {
        Set<String> labels = new TreeSet<>();
        Matcher m = GROUPING.matcher(query);
        while (m.find()) {
            for (String l : m.group(2).split(",")) {
                if (!l.isBlank()) {
                    labels.add(l.trim());
                }
            }
        }
        return labels;
    }

    @Test
    void theReaderFindsMetricsMatchersAndGroupings() {
        String q = "sum by (kind, outcome) (rate(foo_total{outcome=\"error\", phase=~\"A|B\", x=~\"$v\"}[5m])) "
                + "/ on (kind) group_left bar:ratio > 0 and baz offset 5m or label_replace(qux, \"a\", \"b\", \"c\", "
                + "\"d\")";
        Map<String, List<LabelMatcher>> s = selectors(q);
        assertEquals(Set.of("foo_total", "bar:ratio", "baz", "qux"), s.keySet());
        assertEquals(List.of(new LabelMatcher("outcome", "=", "error"), new LabelMatcher("phase", "=~", "A|B"),
                new LabelMatcher("x", "=~", "$v")), s.get("foo_total"));
        assertEquals(List.of("A", "B"), s.get("foo_total").get(1).literalValues());
        assertEquals(List.of(), s.get("foo_total").get(2).literalValues());
        assertEquals(Set.of("kind", "outcome"), groupingLabels(q));
        assertEquals(Set.of("up"), selectors("max by (namespace, name, phase) (up{a=\"b\"}) == 1").keySet());
    }

    @Test
    void aQueryOnAMetricThatDoesNotExistIsCaught() {
        Map<String, Map<String, Set<String>>> exported = ExportedMetrics.samples(ExportedMetrics.exercised().scrape());
        // Names a dashboard might plausibly use by mistake.
        for (String wrong : List.of("pulsar_operator_mesh_migration_phase_total", "pulsar_operator_reconciliations",
                "pulsar_operator_mesh_migration_phase_duration_seconds_bucket",
                "pulsar_operator_mesh_migration_stalls")) {
            assertFalse(exported.containsKey(wrong), wrong);
            assertTrue(selectors("sum(rate(" + wrong + "[5m]))").containsKey(wrong), wrong);
        }
    }

    // ---- the metrics table ----

    @Test
    void metricsTableListsEveryOwnMetric() throws IOException {
        String doc = Files.readString(DIR.resolve("METRICS.md"));
        Set<String> missing = new TreeSet<>();
        for (String sample : ExportedMetrics.samples(ExportedMetrics.exercised().scrape()).keySet()) {
            if (sample.startsWith("pulsar_operator_") && !doc.contains("`" + sample + "`")) {
                missing.add(sample);
            }
        }
        assertEquals(Set.of(), missing);
    }
}
