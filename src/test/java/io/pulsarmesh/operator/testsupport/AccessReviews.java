package io.pulsarmesh.operator.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * Stands in for the API server's authorizer, which the mock lacks, where leader election meets it: the Lease rules are
 * those of the install's leader-election Role ({@code kubernetes/install/rbac.yaml}). A SelfSubjectRulesReview (the
 * operator SDK checks with one that it may use its Lease before it competes) is answered with them, and a request on
 * a Lease whose verb they do not grant is refused with 403, as a real API server would refuse it. Everything else is
 * left to the mock.
 */
public final class AccessReviews {
    static final KubernetesSerialization JSON = new KubernetesSerialization();
    static final Path RBAC = Path.of("kubernetes", "install", "rbac.yaml");
    static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/";

    private AccessReviews() {
    }

    /** Whether this request creates a SelfSubjectRulesReview. */
    public static boolean isRulesReview(RecordedRequest request) {
        return "POST".equals(request.getMethod()) && request.getPath() != null
                && request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews");
    }

    /** The review with the Lease rules of {@code kubernetes/install/rbac.yaml} in its status. */
    public static MockResponse leaseRules(RecordedRequest request) {
        SelfSubjectRulesReview review = JSON.unmarshal(request.getUtf8Body(), SelfSubjectRulesReview.class);
        review.setStatus(new SubjectRulesReviewStatusBuilder().withIncomplete(false)
                .withResourceRules(new ResourceRuleBuilder().withApiGroups("coordination.k8s.io")
                        .withResources("leases").withVerbs(leaseVerbs()).build())
                .build());
        return new MockResponse().setResponseCode(201).setBody(JSON.asJson(review));
    }

    /** 403 for a request on a Lease that the install's Role does not allow; {@code null} for every other request. */
    public static MockResponse refusedLeaseRequest(RecordedRequest request) {
        String path = request.getPath();
        if (path == null || !path.startsWith(LEASES) || !path.contains("/leases")) {
            return null;
        }
        String verb = verb(request.getMethod(), path);
        if (leaseVerbs().contains(verb)) {
            return null;
        }
        String status = """
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"leases.coordination.k8s.io \
                is forbidden: the install's Role does not grant %s","reason":"Forbidden","code":403}""".formatted(verb);
        return new MockResponse().setResponseCode(403).setBody(status);
    }

    /** The RBAC verb of a request on a named object or its collection. */
    static String verb(String method, String path) {
        boolean named = path.replaceAll("\\?.*", "").matches(".*/leases/[^/]+$");
        return switch (method) {
            case "GET" -> path.contains("watch=true") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The verbs the install's leader-election Role grants on Leases. */
    public static List<String> leaseVerbs() {
        try {
            List<HasMetadata> objects = JSON.unmarshal(Files.readString(resolve(RBAC)));
            return objects.stream().filter(Role.class::isInstance).map(Role.class::cast)
                    .flatMap(r -> r.getRules().stream())
                    .filter(r -> r.getApiGroups().contains("coordination.k8s.io") && r.getResources().contains("leases"))
                    .map(PolicyRule::getVerbs).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Role on Leases in " + RBAC));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file from the project's root, whatever folder the test runs in. */
    static Path resolve(Path relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve(relative))) {
            dir = dir.getParent();
        }
        return dir == null ? relative : dir.resolve(relative);
    }
}
