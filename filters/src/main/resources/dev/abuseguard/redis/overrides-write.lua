-- Changes a user's overrides in one step: the hash ag:{u:<id>}:o (every field: what the admin views, apply-block.lua,
-- every instance's copy and the decisions of instances of the previous version read) and the string
-- ag:{u:<id>}:ov that decide-head.lua reads in the same MGET as the user's state, rebuilt here from the hash after
-- every change so that the two never disagree, and kept exactly as long as the hash.
-- The string: '<exempt until ms, -1 until lifted, 0 none>;<tier or ''>;<own limits>', own limits as
-- ',<action>=<limit>:<window ms>,...,' or ''; absent while the hash holds nothing a decision reads. Only what the
-- decision script could read is copied (a field decide-head.lua would not read as a number is left out, as
-- OverridesHash.java leaves it out of the fallback's copy); action and tier names are [a-z0-9_-].
-- includes: nothing
-- KEYS: 1 the hash, 2 the string (both under {u:<id>})
-- ARGV: 1 'set' (ARGV 3.. field, value pairs), 'del' (ARGV 3.. fields) or 'sync' (no change: the string follows
--   the hash as it is, after an instance of the previous version changed only the hash; written only when it
--   differs), 2 ms: after 'set' the hash lives at least this long; a hash without a TTL gets this one
-- Returns {fields removed ('del', else 0), {the hash's fields and values after the change}}
local op, keep = ARGV[1], tonumber(ARGV[2])
local removed = 0
if op == 'set' then
  redis.call('HSET', KEYS[1], unpack(ARGV, 3))
  redis.call('PEXPIRE', KEYS[1], math.max(keep, redis.call('PTTL', KEYS[1])))
elseif op == 'del' then
  removed = redis.call('HDEL', KEYS[1], unpack(ARGV, 3))
end
local fields = redis.call('HGETALL', KEYS[1])
local exempt_until, tier, limits = 0, '', {}
for i = 1, #fields, 2 do
  local field, value = fields[i], fields[i + 1]
  if field == 'exempt' then
    exempt_until = tonumber(string.match(value, '^-?%d+$')) or 0
    if exempt_until < 0 then exempt_until = -1 end
  elseif field == 'tier' then
    if string.match(value, '^[a-z0-9_-]+$') then tier = value end
  else
    local action = string.match(field, '^l:([a-z0-9_-]+)$')
    if action and string.match(value, '^%d+:%d+$') then limits[#limits + 1] = action .. '=' .. value end
  end
end
local read = nil
if exempt_until ~= 0 or tier ~= '' or #limits > 0 then
  local own = ''
  if #limits > 0 then own = ',' .. table.concat(limits, ',') .. ',' end
  read = string.format('%d', exempt_until) .. ';' .. tier .. ';' .. own
end
if not read then
  redis.call('DEL', KEYS[2])
else
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then
    ttl = keep
    redis.call('PEXPIRE', KEYS[1], ttl)
  end
  if op ~= 'sync' or redis.call('GET', KEYS[2]) ~= read or math.abs(redis.call('PTTL', KEYS[2]) - ttl) > 1000 then
    redis.call('SET', KEYS[2], read, 'PX', ttl)
  end
end
return {removed, fields}
