package io.pulsarmesh.operator.api.common.v1alpha1;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;

/** How external hosts are routed to brokers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayRoute {
    @JsonPropertyDescription("Route a wildcard host (needs wildcard DNS, for example externalDNS).")
    private Boolean useWildcardDNS;
    @JsonPropertyDescription("Per-pod routing by a node label.")
    private TopologyAware topologyAware;

    public Boolean getUseWildcardDNS() {
        return useWildcardDNS;
    }

    public void setUseWildcardDNS(Boolean useWildcardDNS) {
        this.useWildcardDNS = useWildcardDNS;
    }

    public TopologyAware getTopologyAware() {
        return topologyAware;
    }

    public void setTopologyAware(TopologyAware topologyAware) {
        this.topologyAware = topologyAware;
    }

    /** Routing by topology. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TopologyAware {
        @Required
        @JsonPropertyDescription("Node label key.")
        private String key;
        @JsonPropertyDescription("Node selector.")
        private Map<String, String> selector;
        @JsonPropertyDescription("Sub-domain added to the hosts.")
        private String subDomain;

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }

        public Map<String, String> getSelector() {
            return selector;
        }

        public void setSelector(Map<String, String> selector) {
            this.selector = selector;
        }

        public String getSubDomain() {
            return subDomain;
        }

        public void setSubDomain(String subDomain) {
            this.subDomain = subDomain;
        }
    }
}
