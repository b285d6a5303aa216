-- After an abort, releases the same revision again from step 0.
if obj.status == nil then
  obj.status = {}
end
obj.status.abort = false
return obj
