package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * Istio traffic routing. Host-level split: the routes' destinations name stableService and
 * canaryService. Subset-level split (with destinationRule): the destinations name one host and the
 * two subsets, and Weir pins the subsets' labels to the revisions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IstioTrafficRouting {

  @JsonPropertyDescription(
      "The VirtualService whose route weights Weir manages. Use virtualServices for several.")
  public IstioVirtualService virtualService;

  @JsonPropertyDescription(
      "Several VirtualServices whose route weights Weir manages together (for example one for"
          + " the mesh and one for the ingress gateway).")
  public List<IstioVirtualService> virtualServices;

  @JsonPropertyDescription(
      "Subset-level split: the DestinationRule whose canary and stable subsets Weir pins to the"
          + " revisions' pod-template hashes.")
  public IstioDestinationRule destinationRule;
}
