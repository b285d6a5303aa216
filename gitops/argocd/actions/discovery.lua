-- Argo CD resource actions for weir.dev/Rollout (resource.customizations.actions.weir.dev_Rollout):
-- the same small status patches as `kubectl weir promote | promote --full | abort | retry`.
local actions = {}
local phase = obj.status ~= nil and obj.status.phase or nil
local aborted = obj.status ~= nil and obj.status.abort == true
local releasing = obj.status ~= nil and obj.status.currentPodHash ~= nil
  and obj.status.currentPodHash ~= obj.status.stableRS
actions["promote"] = {["disabled"] = not releasing or aborted}
actions["promote-full"] = {["disabled"] = not releasing or aborted}
actions["abort"] = {["disabled"] = not releasing or aborted}
actions["retry"] = {["disabled"] = not aborted}
return actions
