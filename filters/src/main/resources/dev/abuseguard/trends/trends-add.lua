-- Adds one instance's counts of the last few seconds, in one call. KEYS: per minute, its counts hash
-- (field "<action>|<column>") then its offenders sorted set (user -> violations); all under {trends}.
-- ARGV[1] TTL of a counts hash (ms), ARGV[2] TTL of an offenders set (ms), ARGV[3] most offenders a minute
-- keeps (the least are dropped), then per minute: n, n x (field, increment), m, m x (user, increment).
-- includes: nothing
local counts_ttl, offenders_ttl, keep = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local a = 4
for k = 1, #KEYS, 2 do
  local counts, offenders = KEYS[k], KEYS[k + 1]
  local n = tonumber(ARGV[a]); a = a + 1
  for _ = 1, n do
    redis.call('HINCRBY', counts, ARGV[a], ARGV[a + 1]); a = a + 2
  end
  if n > 0 then redis.call('PEXPIRE', counts, counts_ttl) end
  local m = tonumber(ARGV[a]); a = a + 1
  for _ = 1, m do
    redis.call('ZINCRBY', offenders, ARGV[a + 1], ARGV[a]); a = a + 2
  end
  if m > 0 then
    local extra = redis.call('ZCARD', offenders) - keep
    if extra > 0 then redis.call('ZREMRANGEBYRANK', offenders, 0, extra - 1) end
    redis.call('PEXPIRE', offenders, offenders_ttl)
  end
end
return #KEYS
