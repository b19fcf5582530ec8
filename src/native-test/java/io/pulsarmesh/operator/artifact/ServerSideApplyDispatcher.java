package io.pulsarmesh.operator.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;

/**
 * The fabric8 mock API server in CRUD mode, with a stand-in for server-side apply, which the mock refuses (404 for an
 * apply that creates, 415 for one on {@code /status}) and the packaged operator uses for every write: its
 * {@code quarkus.operator-sdk.enable-ssa} is fixed when it is built, so the integration tests cannot switch it off the
 * way the operator-in-the-loop tests do.
 *
 * <p>An apply ({@code PATCH} with {@code application/apply-patch+yaml}) must name a {@code fieldManager}. It creates
 * the object when it is missing; otherwise it replaces, of the stored object, each top-level field the applied
 * configuration has (on {@code /status}: the status), and its labels, annotations, owner references and finalizers
 * when given. That is what server-side apply yields when one manager writes whole objects, as this operator does.
 * Unlike a real API server it keeps no managed fields, so ownership is not tracked: fields another writer added inside
 * a replaced field are dropped instead of kept, and JOSDK's apply matcher, which reads the managed fields, sees a
 * difference on every reconcile and applies again. An apply that changes nothing is answered without a write and
 * without a watch event, as a real server does, so that costs a request and nothing else. A {@code metadata.uid} in
 * the applied configuration must match the stored one (409 otherwise), the precondition the operator relies on.
 */
final class ServerSideApplyDispatcher extends KubernetesCrudDispatcher {
    static final String APPLY_PATCH = "application/apply-patch+yaml";
    static final String JSON_PATCH = "application/json-patch+json";
    private static final List<String> METADATA_FIELDS = List.of("labels", "annotations", "ownerReferences", "finalizers");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, AtomicInteger> appliesByManager = new ConcurrentHashMap<>();

    /** Applies received so far, by field manager. */
    Map<String, Integer> appliesByManager() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        appliesByManager.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    @Override
    public synchronized MockResponse handlePatch(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.startsWith(APPLY_PATCH)) {
            return super.handlePatch(request);
        }
        try {
            return apply(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private MockResponse apply(RecordedRequest request) throws IOException {
        URI uri = URI.create(request.getPath());
        String manager = query(uri.getRawQuery()).get("fieldManager");
        if (manager == null || manager.isBlank()) {
            return failure(400, "BadRequest", "PATCH with application/apply-patch+yaml requires fieldManager");
        }
        appliesByManager.computeIfAbsent(manager, m -> new AtomicInteger()).incrementAndGet();
        JsonNode applied = yaml.readTree(request.getBody().getBytes());
        String path = uri.getPath();
        boolean status = path.endsWith("/status");
        String objectPath = status ? path.substring(0, path.length() - "/status".length()) : path;

        MockResponse found = handleGet(objectPath);
        if (found.code() == 404) {
            if (status) {
                return found;
            }
            String collection = objectPath.substring(0, objectPath.lastIndexOf('/'));
            return handleCreate(new RecordedRequest("HTTP/1.1", HttpMethod.POST, collection,
                    Headers.builder().add("Content-Type", "application/json").build(),
                    new Buffer(json.writeValueAsBytes(applied))));
        }
        JsonNode stored = json.readTree(found.getBody().getBytes());
        JsonNode uid = applied.at("/metadata/uid");
        if (!uid.isMissingNode() && !uid.isNull() && !uid.equals(stored.at("/metadata/uid"))) {
            return failure(409, "Conflict", "Precondition failed: UID in precondition: " + uid.asText()
                    + ", UID in object meta: " + stored.at("/metadata/uid").asText());
        }
        ArrayNode ops = json.createArrayNode();
        if (status) {
            if (applied.has("status")) {
                ops.addObject().put("op", "add").put("path", "/status").set("value", applied.get("status"));
            }
        } else {
            applied.fieldNames().forEachRemaining(field -> {
                if (!List.of("apiVersion", "kind", "metadata", "status").contains(field)) {
                    ops.addObject().put("op", "add").put("path", "/" + field).set("value", applied.get(field));
                }
            });
            for (String field : METADATA_FIELDS) {
                if (applied.path("metadata").has(field)) {
                    ops.addObject().put("op", "add").put("path", "/metadata/" + field)
                            .set("value", applied.get("metadata").get(field));
                }
            }
        }
        if (JsonPatch.apply(ops, stored).equals(stored)) {
            return new MockResponse().setResponseCode(200).setBody(json.writeValueAsString(stored));
        }
        // Without the query (fieldManager, force): the mock tells a status write by the path's end.
        return super.handlePatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, path,
                Headers.builder().add("Content-Type", JSON_PATCH).build(), new Buffer(json.writeValueAsBytes(ops))));
    }

    private MockResponse failure(int code, String reason, String message) throws IOException {
        Map<String, Object> status = Map.of("apiVersion", "v1", "kind", "Status", "status", "Failure", "code", code,
                "reason", reason, "message", message);
        return new MockResponse().setResponseCode(code).setBody(json.writeValueAsString(status));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new java.util.HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }
}
