-- Appends one audit event to the stream and keeps the cross-user indexes in step with it, in one call
-- on the {ag} slot. Runs only for violations and admin or fail-over events, never on the allowed path.
-- KEYS: 1 scores (zset user -> score), 2 blocked (zset user -> block end, +inf until lifted),
--       3 totals (hash), 4 events (stream)
-- ARGV: 1 type, 2 user, 3 action, 4 score, 5 by, 6 detail, 7 blocked until (ms, -1/-2 until lifted),
--       8 retention ms, 9 stream max length. Returns the stream id.
-- includes: nothing
local kind, user = ARGV[1], ARGV[2]
if kind == 'violation' then
  redis.call('ZADD', KEYS[1], ARGV[4], user)
  redis.call('HINCRBY', KEYS[3], 'violations', 1)
elseif kind == 'block' or kind == 'ban' then
  redis.call('ZADD', KEYS[1], ARGV[4], user)
  local until_ms = tonumber(ARGV[7])
  if until_ms < 0 then redis.call('ZADD', KEYS[2], '+inf', user) else redis.call('ZADD', KEYS[2], until_ms, user) end
elseif kind == 'unblock' then
  redis.call('ZREM', KEYS[2], user)
elseif kind == 'reset' then
  redis.call('ZREM', KEYS[1], user)
  redis.call('ZREM', KEYS[2], user)
end
local id = redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[9], '*', 'type', kind, 'user', user,
  'action', ARGV[3], 'score', ARGV[4], 'by', ARGV[5], 'detail', ARGV[6])
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[8]) end
return id
