-- Appends one audit event to the stream and keeps the cross-user indexes in step with it, in one call
-- on the {idx} slot; a block or ban is also announced to every instance's copy of the active blocks. Runs
-- only for violations and admin or fail-over events, never on the allowed path.
-- includes: cross-user-index.lua
-- KEYS: 1 scores, 2 blocked, 3 totals (hash), 4 events (stream), 5 expiry (see cross-user-index.lua)
-- ARGV: 1 type, 2 user, 3 action, 4 score, 5 by, 6 detail, 7 blocked until (ms, -1/-2 until lifted),
--       8 retention ms of the indexes, 9 stream max length, 10 now ms, 11 when the user's record expires (ms,
--       0 = unchanged), 12 most users the indexes keep, 13 channel of block news. Returns the stream id.
local kind, user, score = ARGV[1], ARGV[2], tonumber(ARGV[4])
local now, record_expires = tonumber(ARGV[10]), tonumber(ARGV[11])
prune_index(KEYS[1], KEYS[2], KEYS[5], now, 100)
if kind == 'violation' then
  redis.call('ZADD', KEYS[1], score, user)
  redis.call('HINCRBY', KEYS[3], 'violations', 1)
elseif kind == 'block' or kind == 'ban' then
  redis.call('ZADD', KEYS[1], score + (kind == 'ban' and BAN_RANK or BLOCKED_RANK), user)
  local until_ms = tonumber(ARGV[7])
  if until_ms < 0 then redis.call('ZADD', KEYS[2], '+inf', user) else redis.call('ZADD', KEYS[2], until_ms, user) end
  redis.call('PUBLISH', ARGV[13], string.format('b %d %d %s', until_ms, score, user))
elseif kind == 'unblock' then
  redis.call('ZADD', KEYS[1], score, user)
  redis.call('ZREM', KEYS[2], user)
elseif kind == 'reset' then
  redis.call('ZREM', KEYS[1], user)
  redis.call('ZREM', KEYS[2], user)
  redis.call('ZREM', KEYS[5], user)
end
if record_expires > 0 and user ~= '' then redis.call('ZADD', KEYS[5], record_expires, user) end
bound_index(KEYS[1], KEYS[2], KEYS[5], tonumber(ARGV[12]))
local id = redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[9], '*', 'type', kind, 'user', user,
  'action', ARGV[3], 'score', ARGV[4], 'by', ARGV[5], 'detail', ARGV[6])
for i = 1, 5 do redis.call('PEXPIRE', KEYS[i], ARGV[8]) end
return id
