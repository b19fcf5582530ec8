package io.pulsarmesh.operator.api.zookeeper.v1alpha1;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Min;

/** Typed ZooKeeper settings; anything else goes in custom. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ZooKeeperConfig {
    @Min(1)
    @JsonPropertyDescription("Basic time unit in milliseconds (default 2000).")
    private Integer tickTime;
    @Min(1)
    @JsonPropertyDescription("Ticks a follower may take to connect and sync to the leader (default 10).")
    private Integer initLimit;
    @Min(1)
    @JsonPropertyDescription("Ticks a follower may lag behind the leader (default 5).")
    private Integer syncLimit;
    @Min(1)
    @JsonPropertyDescription("Transactions between snapshots.")
    private Integer snapCount;
    @Min(0)
    @JsonPropertyDescription("Maximum concurrent connections from one client IP (0: unlimited).")
    private Integer maxClientCnxns;
    @Min(1)
    @JsonPropertyDescription("Maximum outstanding requests.")
    private Integer globalOutstandingLimit;
    @JsonPropertyDescription("Server connection factory class.")
    private String serverCnxnFactory;
    @JsonPropertyDescription("Any other zookeeper.conf keys. Keys the operator owns (ports, data directories, servers) are refused.")
    private Map<String, String> custom;

    public Integer getTickTime() {
        return tickTime;
    }

    public void setTickTime(Integer tickTime) {
        this.tickTime = tickTime;
    }

    public Integer getInitLimit() {
        return initLimit;
    }

    public void setInitLimit(Integer initLimit) {
        this.initLimit = initLimit;
    }

    public Integer getSyncLimit() {
        return syncLimit;
    }

    public void setSyncLimit(Integer syncLimit) {
        this.syncLimit = syncLimit;
    }

    public Integer getSnapCount() {
        return snapCount;
    }

    public void setSnapCount(Integer snapCount) {
        this.snapCount = snapCount;
    }

    public Integer getMaxClientCnxns() {
        return maxClientCnxns;
    }

    public void setMaxClientCnxns(Integer maxClientCnxns) {
        this.maxClientCnxns = maxClientCnxns;
    }

    public Integer getGlobalOutstandingLimit() {
        return globalOutstandingLimit;
    }

    public void setGlobalOutstandingLimit(Integer globalOutstandingLimit) {
        this.globalOutstandingLimit = globalOutstandingLimit;
    }

    public String getServerCnxnFactory() {
        return serverCnxnFactory;
    }

    public void setServerCnxnFactory(String serverCnxnFactory) {
        this.serverCnxnFactory = serverCnxnFactory;
    }

    public Map<String, String> getCustom() {
        return custom;
    }

    public void setCustom(Map<String, String> custom) {
        this.custom = custom;
    }
}
