package dev.weir.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Steps as the tree lists them: what each does, in a few words. */
class StepDescriptionTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"setWeight": 20}                                    | setWeight: 20
          {"pause": {}}                                        | pause: {}
          {"pause": {"duration": "2m"}}                        | pause: 2m
          {"setCanaryScale": {"replicas": 2}}                  | setCanaryScale: {replicas: 2}
          {"analysis": {"templates": [{"templateName": "istio-success-rate"}, {"templateName": "slo", "clusterScope": true}], "args": [{"name": "service", "value": "checkout-canary"}]}} | analysis: istio-success-rate, slo
          """)
  void eachStepReadsInAFewWords(String json, String shown) {
    JsonNode step =
        Serialization.jsonMapper().valueToTree(Serialization.unmarshal(json, java.util.Map.class));
    assertThat(RolloutViews.describe(step)).isEqualTo(shown);
  }
}
