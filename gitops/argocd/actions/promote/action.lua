-- Lifts the pause (or accepts an inconclusive analysis) and goes on to the next step.
if obj.status == nil then
  obj.status = {}
end
obj.status.promote = "Step"
return obj
