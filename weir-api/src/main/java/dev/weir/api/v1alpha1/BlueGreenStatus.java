package dev.weir.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where a blue-green release stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BlueGreenStatus {

  @JsonPropertyDescription(
      "Pod-template hash the active side serves once the switch is verified; until the"
          + " post-promotion analysis passes, the stable revision is still kept up.")
  public String activeSelector;

  @JsonPropertyDescription("When the previewed revision first had all its preview pods available.")
  public String previewReadyAt;

  @JsonPropertyDescription("True once the pre-promotion analysis passed (or was accepted).")
  public Boolean prePromotionPassed;

  @JsonPropertyDescription("True once the switch was approved: automatically, or by a promote.")
  public Boolean promotionApproved;

  @JsonPropertyDescription("True once the post-promotion analysis passed (or was accepted).")
  public Boolean postPromotionPassed;
}
