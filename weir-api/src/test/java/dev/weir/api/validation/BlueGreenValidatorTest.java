package dev.weir.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.api.v1alpha1.BlueGreenStrategy;
import dev.weir.api.v1alpha1.CanaryStrategy;
import dev.weir.api.v1alpha1.IstioDestinationRule;
import dev.weir.api.v1alpha1.PodMetadata;
import dev.weir.api.v1alpha1.RolloutSpec;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The blue-green rules of {@link RolloutValidator}, applied to examples/blue-green. */
class BlueGreenValidatorTest {

  private static final String BG = "spec.strategy.blueGreen";

  private static RolloutSpec example() {
    return Examples.rolloutSpec("examples/blue-green/rollout.yaml");
  }

  private static Arguments mistake(
      String what, Consumer<BlueGreenStrategy> change, String field, String message) {
    return Arguments.of(what, change, field, message);
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        mistake(
            "no active Service", b -> b.activeService = null, BG + ".activeService", "is required"),
        mistake(
            "the same Service on both sides",
            b -> b.previewService = b.activeService,
            BG + ".previewService",
            "must differ from activeService"),
        mistake(
            "no preview Service with Istio",
            b -> b.previewService = null,
            BG + ".previewService",
            "is required with Istio traffic routing"),
        mistake(
            "a preview bigger than the rollout",
            b -> b.previewReplicaCount = 6,
            BG + ".previewReplicaCount",
            "6 is out of range 1..5 (replicas)"),
        mistake(
            "a negative delay",
            b -> b.scaleDownDelaySeconds = -1,
            BG + ".scaleDownDelaySeconds",
            "must not be negative, was -1"),
        mistake(
            "an analysis without templates",
            b -> b.prePromotionAnalysis.templates = List.of(),
            BG + ".prePromotionAnalysis.templates",
            "at least one template or metric is required"),
        mistake(
            "a subset-level split",
            b -> b.trafficRouting.istio.destinationRule = new IstioDestinationRule(),
            BG + ".trafficRouting.istio.destinationRule",
            "is not supported with blueGreen"),
        mistake(
            "a side label the selector uses",
            b -> {
              b.activeMetadata = new PodMetadata();
              b.activeMetadata.labels = Map.of("app", "checkout-active");
            },
            BG + ".activeMetadata.labels",
            "'app' is a label the selectors use"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void eachMistakeIsNamedByItsField(
      String what, Consumer<BlueGreenStrategy> change, String field, String message) {
    var spec = example();
    change.accept(spec.strategy.blueGreen);

    assertThat(RolloutValidator.validate(spec))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo(field);
              assertThat(p.message()).contains(message);
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void exactlyOneStrategy(String what, Consumer<RolloutSpec> change) {
    var spec = example();
    change.accept(spec);

    assertThat(RolloutValidator.validate(spec))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.toString())
                    .isEqualTo("spec.strategy: exactly one of canary, blueGreen is required"));
  }

  static Stream<Arguments> strategies() {
    return Stream.of(
        Arguments.of("both", (Consumer<RolloutSpec>) s -> s.strategy.canary = new CanaryStrategy()),
        Arguments.of("neither", (Consumer<RolloutSpec>) s -> s.strategy.blueGreen = null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void theExampleAndItsVariantsAreValid(String what, Consumer<BlueGreenStrategy> change) {
    var spec = example();
    change.accept(spec.strategy.blueGreen);
    assertThat(RolloutValidator.validate(spec)).isEmpty();
  }

  @Test
  void theGatewayApiExampleIsValidAndNeedsItsPreviewService() {
    var spec = Examples.rolloutSpec("examples/blue-green-gateway-api/rollout.yaml");
    assertThat(RolloutValidator.validate(spec)).isEmpty();

    spec.strategy.blueGreen.previewService = null;

    assertThat(RolloutValidator.validate(spec))
        .singleElement()
        .hasToString(BG + ".previewService: is required with Gateway API traffic routing");
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("the example", (Consumer<BlueGreenStrategy>) b -> {}),
        Arguments.of(
            "without Istio or a preview Service",
            (Consumer<BlueGreenStrategy>)
                b -> {
                  b.trafficRouting = null;
                  b.previewService = null;
                }),
        Arguments.of(
            "manual promotion with side labels",
            (Consumer<BlueGreenStrategy>)
                b -> {
                  b.autoPromotionEnabled = false;
                  b.previewMetadata = new PodMetadata();
                  b.previewMetadata.labels = Map.of("role", "preview");
                }));
  }
}
