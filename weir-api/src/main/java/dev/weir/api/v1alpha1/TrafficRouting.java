package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where traffic weights are written. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrafficRouting {

  @JsonPropertyDescription("Split traffic with Istio VirtualService route weights.")
  public IstioTrafficRouting istio;

  @JsonPropertyDescription(
      "Split traffic with the backendRef weights of Kubernetes Gateway API routes (HTTPRoute,"
          + " GRPCRoute)."
          + " Set either istio or gatewayAPI.")
  public GatewayApiTrafficRouting gatewayAPI;
}
