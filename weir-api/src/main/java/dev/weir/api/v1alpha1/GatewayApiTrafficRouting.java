package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * Kubernetes Gateway API traffic routing (HTTPRoutes and GRPCRoutes): the routes' rules send
 * traffic to two backendRefs, the stable and the canary Service (blue-green: the active and the
 * preview Service), and Weir writes the weights of those two backendRefs and nothing else.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayApiTrafficRouting {

  @JsonPropertyDescription(
      "The HTTPRoute whose backendRef weights Weir manages. Use httpRoutes for several.")
  public GatewayApiRoute httpRoute;

  @JsonPropertyDescription(
      "Several HTTPRoutes (or several rules of one) whose backendRef weights Weir manages"
          + " together, for example one per Gateway.")
  public List<GatewayApiRoute> httpRoutes;

  @JsonPropertyDescription(
      "The GRPCRoute whose backendRef weights Weir manages. Use grpcRoutes for several; HTTP and"
          + " gRPC routes may be managed together.")
  public GatewayApiRoute grpcRoute;

  @JsonPropertyDescription(
      "Several GRPCRoutes (or several rules of one) whose backendRef weights Weir manages"
          + " together.")
  public List<GatewayApiRoute> grpcRoutes;
}
