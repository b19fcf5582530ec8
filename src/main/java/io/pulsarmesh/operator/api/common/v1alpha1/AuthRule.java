package io.pulsarmesh.operator.api.common.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An extra ALLOW rule of the component's AuthorizationPolicy (layer 4 attributes only). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthRule {
    @JsonPropertyDescription("Sources the rule admits.")
    private List<Source> fromSource;
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
    public static class Source {
        @JsonPropertyDescription("Principals, for example cluster.local/ns/apps/sa/producer.")
        private List<String> principals;
        @JsonPropertyDescription("Namespaces of the peers.")
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
        private List<String> ports;

        public List<String> getPorts() {
            return ports;
        }

        public void setPorts(List<String> ports) {
            this.ports = ports;
        }
    }
}
