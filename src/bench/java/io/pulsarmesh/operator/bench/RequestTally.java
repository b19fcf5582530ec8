package io.pulsarmesh.operator.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the API server's requests as they are dispatched, by client, verb and resource, so that the operator's cost
 * is told apart from the benchmark's own clients (each sends a User-Agent of its own; everything else is the
 * operator).
 *
 * <p>Verbs: {@code get}, {@code list}, {@code watch} (reads), {@code create}, {@code update}, {@code patch},
 * {@code delete} (writes of objects), {@code status} (a PUT or PATCH of a {@code /status} subresource),
 * {@code event} (a write of a core/v1 Event) and {@code discovery} (API discovery: {@code /api}, {@code /apis/...}
 * without a resource, {@code /version}) and {@code lease} (leader election: its access review, and the reads and
 * renewals of its Lease, every 2 s; counted apart from the writes of objects, status and Events).
 */
final class RequestTally {
    static final String USER_AGENT_PREFIX = "pmo-bench-";
    static final String OPERATOR = "operator";
    static final List<String> READS = List.of("get", "list", "watch");
    static final List<String> OBJECT_WRITES = List.of("create", "update", "patch", "delete");
    static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "patch", "delete", "status",
            "event", "discovery", "lease");

    /** {@code client|verb|resource} to count. */
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    /** The operator's writes in order, as {@code nanoTime method path}, for finding where time and writes go. */
    private final Queue<String> operatorWrites = new ConcurrentLinkedQueue<>();
    /** The queue's size: {@code ConcurrentLinkedQueue.size()} walks the whole queue. */
    private final AtomicInteger operatorWritesLogged = new AtomicInteger();
    private static final int MAX_LOGGED_WRITES = 200_000;

    void record(String userAgent, String method, String path) {
        String client = userAgent != null && userAgent.startsWith(USER_AGENT_PREFIX)
                ? userAgent.substring(USER_AGENT_PREFIX.length())
                : OPERATOR;
        Request r = classify(method, path);
        counts.computeIfAbsent(client + "|" + r.verb() + "|" + r.resource(), k -> new LongAdder()).increment();
        if (client.equals(OPERATOR) && !READS.contains(r.verb()) && !r.verb().equals("lease")
                && operatorWritesLogged.getAndIncrement() < MAX_LOGGED_WRITES) {
            operatorWrites.add(System.nanoTime() + " " + method + " " + path);
        }
    }

    /** The operator's writes since {@code t0} (a {@link System#nanoTime}), one a line, in milliseconds after it. */
    String operatorWritesSince(long t0) {
        StringBuilder sb = new StringBuilder();
        for (String w : operatorWrites) {
            int sp = w.indexOf(' ');
            long t = Long.parseLong(w.substring(0, sp));
            sb.append(String.format(java.util.Locale.ROOT, "%9.1f", (t - t0) / 1e6)).append(w.substring(sp)).append('\n');
        }
        return sb.toString();
    }

    /**
     * The {@link System#nanoTime} of the operator's last write of an object (not of a status or an Event) since
     * {@code t0}, or {@code t0} when there was none.
     */
    long lastObjectWrite(long t0) {
        long last = t0;
        for (String w : operatorWrites) {
            String[] f = w.split(" ", 3);
            long t = Long.parseLong(f[0]);
            if (t > last && OBJECT_WRITES.contains(classify(f[1], f[2]).verb())) {
                last = t;
            }
        }
        return last;
    }

    /** The counts so far; subtract two of them with {@link Counts#minus}. */
    Counts snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.sum()));
        return new Counts(copy);
    }

    /** One request: its verb and the resource (plural) it is about. */
    record Request(String verb, String resource) {
    }

    static Request classify(String method, String rawPath) {
        String path = rawPath == null ? "" : rawPath;
        int q = path.indexOf('?');
        String query = q >= 0 ? path.substring(q + 1) : "";
        path = q >= 0 ? path.substring(0, q) : path;
        List<String> seg = new ArrayList<>(Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());
        List<String> rest;
        if (!seg.isEmpty() && seg.get(0).equals("api") && seg.size() > 2) {
            rest = seg.subList(2, seg.size());
        } else if (!seg.isEmpty() && seg.get(0).equals("apis") && seg.size() > 3) {
            rest = seg.subList(3, seg.size());
        } else {
            return new Request("discovery", "-");
        }
        if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0);
        boolean named = rest.size() > 1;
        boolean status = rest.size() > 2 && rest.get(2).equals("status");
        String verb = switch (method.toUpperCase()) {
            case "GET" -> query.contains("watch=true") || query.contains("watch=1") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> status ? "status" : "update";
            case "PATCH" -> status ? "status" : "patch";
            case "DELETE" -> "delete";
            default -> method.toLowerCase();
        };
        if (resource.equals("events") && !READS.contains(verb)) {
            verb = "event";
        }
        if (resource.equals("leases") || resource.equals("selfsubjectrulesreviews")) {
            verb = "lease"; // leader election: its access check, and the Lease's reads and renewals
        }
        return new Request(verb, resource);
    }

    /** Request counts keyed {@code client|verb|resource}. */
    record Counts(Map<String, Long> byKey) {
        Counts minus(Counts before) {
            Map<String, Long> out = new TreeMap<>();
            byKey.forEach((k, v) -> {
                long d = v - before.byKey.getOrDefault(k, 0L);
                if (d != 0) {
                    out.put(k, d);
                }
            });
            return new Counts(out);
        }

        long count(String client, String verb) {
            return byKey.entrySet().stream().filter(e -> e.getKey().startsWith(client + "|" + verb + "|"))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        long reads(String client) {
            return READS.stream().mapToLong(v -> count(client, v)).sum();
        }

        /** Every write: objects, status subresources and Events. */
        long writes(String client) {
            return OBJECT_WRITES.stream().mapToLong(v -> count(client, v)).sum() + count(client, "status")
                    + count(client, "event");
        }

        long objectWrites(String client) {
            return OBJECT_WRITES.stream().mapToLong(v -> count(client, v)).sum();
        }

        long total(String client) {
            return byKey.entrySet().stream().filter(e -> e.getKey().startsWith(client + "|"))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** The client's requests by verb, every verb listed. */
        Map<String, Long> byVerb(String client) {
            Map<String, Long> out = new java.util.LinkedHashMap<>();
            for (String v : VERBS) {
                out.put(v, count(client, v));
            }
            return out;
        }

        /** The client's writes as {@code verb resource} to count, for finding redundant ones. */
        Map<String, Long> writesByResource(String client) {
            Map<String, Long> out = new TreeMap<>();
            byKey.forEach((k, v) -> {
                String[] p = k.split("\\|", 3);
                if (p[0].equals(client) && !READS.contains(p[1]) && !p[1].equals("discovery") && !p[1].equals("lease")) {
                    out.merge(p[1] + " " + p[2], v, Long::sum);
                }
            });
            return out;
        }
    }
}
