-- Aborts the release: all traffic back to stable (verified), then the canary scales down.
if obj.status == nil then
  obj.status = {}
end
obj.status.abort = true
return obj
