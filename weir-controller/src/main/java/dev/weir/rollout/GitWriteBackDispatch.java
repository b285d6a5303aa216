package dev.weir.rollout;

import dev.weir.analysis.OptedInSecrets;
import dev.weir.api.v1alpha1.GitWriteBack;
import dev.weir.api.v1alpha1.GitWriteBackStatus;
import dev.weir.api.v1alpha1.GitWriteBackValue;
import dev.weir.api.v1alpha1.Rollout;
import dev.weir.api.v1alpha1.RolloutStatus;
import dev.weir.api.v1alpha1.SpecProblem;
import dev.weir.gitops.ImageTag;
import dev.weir.gitops.RevertRequest;
import dev.weir.gitops.WriteBackPolicy;
import dev.weir.gitops.WriteBackQueue;
import dev.weir.rollout.plan.Action;
import dev.weir.rollout.plan.Observation.GitObservation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The reconciler's side of write-back to git: what the planner sees of it (write-backs that ended,
 * what is wrong with spec.gitWriteBack), and the planner's {@link Action.WriteBack} turned into a
 * {@link RevertRequest} (the field, the aborted and the stable value, the credentials) handed to
 * the {@link WriteBackQueue}, which makes it off this thread.
 */
final class GitWriteBackDispatch {

  private final Rollout rollout;
  private final WriteBackQueue queue;
  private final WriteBackPolicy policy;
  private final OptedInSecrets secrets;
  private final Clock clock;

  GitWriteBackDispatch(Rollout rollout, WriteBackQueue queue, OptedInSecrets secrets, Clock clock) {
    this.rollout = rollout;
    this.queue = queue;
    this.policy = new WriteBackPolicy(queue.settings());
    this.secrets = secrets;
    this.clock = clock;
  }

  /** What the planner sees: the write-backs that ended, and the problems of spec.gitWriteBack. */
  GitObservation observe() {
    var git = rollout.getSpec() == null ? null : rollout.getSpec().gitWriteBack;
    var problems = git == null ? List.<SpecProblem>of() : policy.check(git, namespace(), secrets);
    return new GitObservation(queue.ended(uid(), recorded(rollout.getStatus())), problems);
  }

  /** Hands the write-back over to the queue, or records why it cannot be made. */
  void write(Action.WriteBack action, Function<String, ReplicaSet> revisions) {
    var git = rollout.getSpec().gitWriteBack;
    String container = container(git);
    Optional<String> stable =
        Optional.ofNullable(revisions.apply(action.stableHash()))
            .flatMap(rs -> image(rs.getSpec().getTemplate().getSpec().getContainers(), container));
    int index = containerIndex(container);
    if (stable.isEmpty() || index < 0 || index >= action.images().size()) {
      queue.ended(
          uid(),
          action.hash(),
          GitWriteBackStatus.of(
              GitWriteBackStatus.Phase.Failed,
              "the stable revision "
                  + action.stableHash()
                  + " has no container "
                  + container
                  + " to take the image from",
              clock.instant().toString()));
      return;
    }
    String aborted = action.images().get(index);
    boolean tag = git.valueOrDefault() == GitWriteBackValue.tag;
    String field =
        git.field != null
            ? git.field
            : "spec.template.spec.containers[name=" + container + "].image";
    Map<String, String> document =
        git.field != null
            ? Map.of()
            : Map.of("kind", "Rollout", "metadata.name", rollout.getMetadata().getName());
    queue.write(
        uid(),
        new RevertRequest(
            namespace() + "/" + rollout.getMetadata().getName(),
            action.hash(),
            git.repoURL.strip(),
            git.branchOrDefault(),
            git.path,
            document,
            field,
            tag ? ImageTag.of(aborted) : aborted,
            tag ? ImageTag.of(stable.get()) : stable.get(),
            action.cause(),
            git.modeOrDefault(),
            policy.credentials(git, namespace(), secrets)));
  }

  private String container(GitWriteBack git) {
    if (git.container != null) {
      return git.container;
    }
    var containers = rollout.getSpec().template.getSpec().getContainers();
    return containers.isEmpty() ? "" : containers.get(0).getName();
  }

  private int containerIndex(String name) {
    var containers = rollout.getSpec().template.getSpec().getContainers();
    for (int i = 0; i < containers.size(); i++) {
      if (name.equals(containers.get(i).getName())) {
        return i;
      }
    }
    return -1;
  }

  private static Optional<String> image(List<Container> containers, String name) {
    return containers.stream()
        .filter(c -> name.equals(c.getName()))
        .map(Container::getImage)
        .findFirst();
  }

  /** The revisions whose write-back status records as ended. */
  private static List<String> recorded(RolloutStatus status) {
    if (status == null || status.abortedRevisions == null) {
      return List.of();
    }
    return status.abortedRevisions.stream()
        .filter(r -> r.writeBack != null && !r.writeBack.pending())
        .map(r -> r.podTemplateHash)
        .toList();
  }

  private String uid() {
    return rollout.getMetadata().getUid();
  }

  private String namespace() {
    return rollout.getMetadata().getNamespace();
  }
}
