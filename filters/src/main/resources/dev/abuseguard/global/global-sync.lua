-- One instance's sync of the global counters, all actions in one call. KEYS: the counters (ag:{g}:w:...), one
-- slot. ARGV: per key, the count this instance adds (0: only read) and the key's TTL in ms. Returns the totals.
-- includes: nothing
local totals = {}
for i = 1, #KEYS do
  local delta = tonumber(ARGV[2 * i - 1])
  if delta ~= 0 then
    totals[i] = redis.call('INCRBY', KEYS[i], delta)
    redis.call('PEXPIRE', KEYS[i], ARGV[2 * i])
  else
    totals[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
  end
end
return totals
