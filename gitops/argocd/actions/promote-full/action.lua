-- Skips the remaining steps and analyses: promotes the new revision now.
if obj.status == nil then
  obj.status = {}
end
obj.status.promote = "Full"
return obj
