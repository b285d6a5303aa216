package dev.weir.notify;

import dev.weir.api.v1alpha1.SpecProblem;
import java.util.List;
import java.util.Optional;

/**
 * What a destination made of a notice: the request to send, or the problems that keep any request
 * from leaving (a Secret that did not opt in, an address the operator did not allow, ...).
 */
public record NoticeRequest(Optional<Outgoing> request, List<SpecProblem> problems) {

  public NoticeRequest {
    problems = List.copyOf(problems);
  }

  static NoticeRequest refused(List<SpecProblem> problems) {
    return new NoticeRequest(Optional.empty(), problems);
  }
}
