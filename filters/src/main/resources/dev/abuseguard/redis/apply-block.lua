-- Writes a block the local store decided while Redis was away, unless Redis knows a longer one or exempts
-- the user (the decision script never blocks an exempt user, so neither may a write-back).
-- KEYS: 1 abuse record, 2 the operator's overrides (hash, 'exempt' = until ms or -1); both under {u:<id>}.
-- ARGV: 1 blocked until (epoch ms, or -1 until lifted), 2 score, 3 now ms, 4 how long the record is kept (ms).
-- Returns 1 when written, 0 when Redis knew a longer block or the user is exempt.
-- includes: abuse-record.lua
local wanted, now = tonumber(ARGV[1]), tonumber(ARGV[3])
local exempt_until = tonumber(redis.call('HGET', KEYS[2], 'exempt'))
if exempt_until and (exempt_until < 0 or exempt_until > now) then return 0 end
local stored = redis.call('GET', KEYS[1])
local score, blocked_until, violations, last_at, last_action, blocks = read_abuse(stored)
if blocked_until < 0 or (wanted >= 0 and blocked_until >= wanted) then return 0 end
if not stored then last_at = now end
redis.call('SET', KEYS[1],
  format_abuse(math.max(score, tonumber(ARGV[2])), wanted, violations, last_at, last_action, blocks), 'PX', ARGV[4])
return 1
