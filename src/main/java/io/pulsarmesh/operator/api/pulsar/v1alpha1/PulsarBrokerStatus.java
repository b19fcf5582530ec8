package io.pulsarmesh.operator.api.pulsar.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.pulsarmesh.operator.api.common.v1alpha1.ComponentStatus;

/** Observed state of the brokers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PulsarBrokerStatus extends ComponentStatus {
    @JsonPropertyDescription("Where clients reach the brokers.")
    private ServiceEndpoints serviceEndpoints;

    public ServiceEndpoints getServiceEndpoints() {
        return serviceEndpoints;
    }

    public void setServiceEndpoints(ServiceEndpoints serviceEndpoints) {
        this.serviceEndpoints = serviceEndpoints;
    }

    @Override
    protected boolean extraEquals(ComponentStatus other) {
        return Objects.equals(serviceEndpoints, ((PulsarBrokerStatus) other).serviceEndpoints);
    }

    /** Endpoints inside the cluster and, with a gateway, outside it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ServiceEndpoints {
        @JsonPropertyDescription("Inside the Kubernetes cluster.")
        private Endpoint cluster;
        @JsonPropertyDescription("Through the ingress gateway.")
        private Endpoint external;

        public Endpoint getCluster() {
            return cluster;
        }

        public void setCluster(Endpoint cluster) {
            this.cluster = cluster;
        }

        public Endpoint getExternal() {
            return external;
        }

        public void setExternal(Endpoint external) {
            this.external = external;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ServiceEndpoints e && Objects.equals(cluster, e.cluster) && Objects.equals(external, e.external);
        }

        @Override
        public int hashCode() {
            return Objects.hash(cluster, external);
        }
    }

    /** A Pulsar service URL and web service URL. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Endpoint {
        @JsonPropertyDescription("Binary protocol URL, for example pulsar://my-broker.ns.svc.cluster.local:6650.")
        private String pulsarServiceURL;
        @JsonPropertyDescription("HTTP URL, for example http://my-broker.ns.svc.cluster.local:8080.")
        private String webServiceURL;
        @JsonPropertyDescription("Kafka bootstrap servers (KoP), for example pulsar.example.com:9093.")
        private String kafkaBootstrapServers;
        @JsonPropertyDescription("MQTT URL (MoP), for example mqtts://pulsar.example.com:8883.")
        private String mqttServiceURL;
        @JsonPropertyDescription("AMQP URL (AoP), for example amqps://pulsar.example.com:5671.")
        private String amqpServiceURL;

        public Endpoint() {
        }

        public Endpoint(String pulsarServiceURL, String webServiceURL) {
            this.pulsarServiceURL = pulsarServiceURL;
            this.webServiceURL = webServiceURL;
        }

        public String getPulsarServiceURL() {
            return pulsarServiceURL;
        }

        public void setPulsarServiceURL(String pulsarServiceURL) {
            this.pulsarServiceURL = pulsarServiceURL;
        }

        public String getWebServiceURL() {
            return webServiceURL;
        }

        public void setWebServiceURL(String webServiceURL) {
            this.webServiceURL = webServiceURL;
        }

        public String getKafkaBootstrapServers() {
            return kafkaBootstrapServers;
        }

        public void setKafkaBootstrapServers(String kafkaBootstrapServers) {
            this.kafkaBootstrapServers = kafkaBootstrapServers;
        }

        public String getMqttServiceURL() {
            return mqttServiceURL;
        }

        public void setMqttServiceURL(String mqttServiceURL) {
            this.mqttServiceURL = mqttServiceURL;
        }

        public String getAmqpServiceURL() {
            return amqpServiceURL;
        }

        public void setAmqpServiceURL(String amqpServiceURL) {
            this.amqpServiceURL = amqpServiceURL;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Endpoint e && Objects.equals(pulsarServiceURL, e.pulsarServiceURL)
                    && Objects.equals(webServiceURL, e.webServiceURL)
                    && Objects.equals(kafkaBootstrapServers, e.kafkaBootstrapServers)
                    && Objects.equals(mqttServiceURL, e.mqttServiceURL)
                    && Objects.equals(amqpServiceURL, e.amqpServiceURL);
        }

        @Override
        public int hashCode() {
            return Objects.hash(pulsarServiceURL, webServiceURL, kafkaBootstrapServers, mqttServiceURL, amqpServiceURL);
        }
    }
}
