package io.pulsarmesh.operator.api.common.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** An extra ALLOW rule of the component's AuthorizationPolicy (layer 4 attributes only). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.fromSource) && size(self.fromSource) > 0) || (has(self.toOperation) && size(self.toOperation) > 0)",
        message = "an authRules entry needs fromSource or toOperation: an empty rule would admit all traffic")
public class AuthRule {
    @Size(max = 16)
    @JsonPropertyDescription("Sources the rule admits.")
    private List<Source> fromSource;
    @Size(max = 16)
    @JsonPropertyDescription("Operations the rule admits.")
    private List<Operation> toOperation;

    public List<Source> getFromSource() {
        return fromSource;
    }

    public void setFromSource(List<Source> fromSource) {
        this.fromSource = fromSource;
    }

    public List<Operation> getToOperation() {
        return toOperation;
    }

    public void setToOperation(List<Operation> toOperation) {
        this.toOperation = toOperation;
    }

    /** Peers identified by their SPIFFE principal. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "(has(self.principals) && size(self.principals) > 0) || (has(self.namespaces) && size(self.namespaces) > 0)",
            message = "a fromSource entry needs principals or namespaces: an empty source would admit any peer")
    public static class Source {
        @JsonPropertyDescription("Principals, for example cluster.local/ns/apps/sa/producer.")
        @Size(max = 64)
        private List<String> principals;
        @JsonPropertyDescription("Namespaces of the peers.")
        @Size(max = 64)
        private List<String> namespaces;

        public List<String> getPrincipals() {
            return principals;
        }

        public void setPrincipals(List<String> principals) {
            this.principals = principals;
        }

        public List<String> getNamespaces() {
            return namespaces;
        }

        public void setNamespaces(List<String> namespaces) {
            this.namespaces = namespaces;
        }
    }

    /** Destination ports. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Operation {
        @JsonPropertyDescription("Ports, as strings.")
        @Size(max = 64)
        private List<String> ports;

        public List<String> getPorts() {
            return ports;
        }

        public void setPorts(List<String> ports) {
            this.ports = ports;
        }
    }
}
