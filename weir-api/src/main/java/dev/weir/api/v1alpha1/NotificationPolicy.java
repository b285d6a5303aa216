package dev.weir.api.v1alpha1;

import dev.weir.api.WellKnownNames;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Who is told what about the rollouts of its namespace: the triggers (Weir's events) it listens to,
 * the rollouts it selects by label, and the destinations each notice goes to. Every policy whose
 * selector and triggers match an event sends it; see docs/notifications.md.
 */
@Group(WellKnownNames.GROUP)
@Version(WellKnownNames.VERSION)
@Plural("notificationpolicies")
@ShortNames({"wnp"})
public class NotificationPolicy extends CustomResource<NotificationPolicySpec, Void>
    implements Namespaced {}
