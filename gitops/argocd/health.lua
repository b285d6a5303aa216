-- Argo CD health check for weir.dev/Rollout (resource.customizations.health.weir.dev_Rollout).
-- Reads what Weir writes: status.observedGeneration, status.phase and status.message, and the
-- InvalidSpec condition. Paused is Suspended (a pause waits for a person or a timer); Degraded
-- (an abort, traffic back on stable) and an invalid spec are Degraded.
local hs = {}
if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for Weir to observe the rollout"
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and (obj.status.observedGeneration == nil or obj.status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for Weir to observe generation " .. tostring(generation)
  return hs
end
if obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "InvalidSpec" and condition.status == "True" then
      hs.status = "Degraded"
      hs.message = condition.message or "InvalidSpec"
      return hs
    end
  end
end
local message = obj.status.message or ""
local phase = obj.status.phase
if phase == "Healthy" then
  hs.status = "Healthy"
elseif phase == "Paused" then
  hs.status = "Suspended"
elseif phase == "Degraded" then
  hs.status = "Degraded"
  if obj.status.abortMessage ~= nil then
    message = obj.status.abortMessage
  end
else
  hs.status = "Progressing"
end
hs.message = message
return hs
