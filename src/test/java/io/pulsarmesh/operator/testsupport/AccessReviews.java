package io.pulsarmesh.operator.testsupport;

import java.util.List;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * Stands in for the API server's authorizer, which the mock lacks: a SelfSubjectRulesReview (the operator SDK checks
 * with one that it may use its leader election Lease before it competes) is answered with what the install's Role
 * grants on Leases. Everything else is left to the mock.
 */
public final class AccessReviews {
    static final KubernetesSerialization JSON = new KubernetesSerialization();

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
                        .withResources("leases").withVerbs(List.of("get", "create", "update")).build())
                .build());
        return new MockResponse().setResponseCode(201).setBody(JSON.asJson(review));
    }
}
