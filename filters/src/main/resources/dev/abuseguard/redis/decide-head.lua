-- Head of every decision script: reads the user's abuse record and the strategy state in one call,
-- and answers at once for a blocked user. Followed by the strategy's script, then decide-tail.lua.
-- includes: server-time.lua, abuse-record.lua
-- defines for the strategy and the tail: limit, window, max_delay, now, mode, ceil_div(a, b),
--   stored ({abuse record, strategy state}), score, blocked_until, violations, blocks, block_retention
--
-- KEYS: 1 abuse record, 2 strategy state, 3 violation history, 4 the operator's overrides (hash: 'exempt' =
--       until ms or -1, 'tier' = name, 'l:<action>' = 'limit:window ms'); all share the hash tag {u:<id>}
-- ARGV (the gateway compiles all but 4 and 13 into the script's first line, 'local ARGV = {...}', as Lua numbers
--       but for 12, 16 and 17, which are strings; a call passes only now and mode, see ActionScript.java):
--       1 limit, 2 window ms, 3 max delay ms, 4 now ms ('' = Redis TIME), 5 points,
--       6 repeat multiplier %, 7 repeat window ms, 8 block threshold, 9 block duration ms (0 = until lifted),
--       10 retention ms, 11 history size, 12 action, 13 mode: 'consume' (check and spend) or 'refund'
--       (give back one request spent before the backend answered: spend-on failure, the answer did not
--       count), 14 score half-life ms (0 = scores do not decay), 15 retention ms of bans and blocks until
--       lifted (renewed whenever Redis answers for the blocked user), 16 the action's tier limits,
--       ',<tier>=<limit>:<window ms>,...,' ('' = none), 17 '1' in shadow mode (a refusal is only reported:
--       never scored, never a block), 18 growing bans: block factor % (100 = off), 19 longest block ms
-- Returns {outcome (0 allowed, 1 rate limited, 2 blocked, 3 exempt), remaining, reset after ms, retry after ms
--          (-1: until lifted), delay ms, score, newly blocked (0/1), the user's limit, and when newly blocked
--          the new block's length in ms (0: until lifted)}
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local max_delay = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local mode = ARGV[13]
local block_retention = tonumber(ARGV[15])
if not now then now = server_now_ms() end

-- the operator's word on this user, read in the same call: exempt, or another limit (user's own > tier > action)
local overrides = redis.call('HMGET', KEYS[4], 'exempt', 'tier', 'l:' .. ARGV[12])
if overrides[1] then
  local exempt_until = tonumber(overrides[1])
  if exempt_until < 0 or exempt_until > now then return {3, limit, 0, 0, 0, 0, 0, limit} end
end
local own = overrides[3]
if not own and overrides[2] and ARGV[16] ~= '' then
  local tier_at = string.find(ARGV[16], ',' .. overrides[2] .. '=', 1, true)
  if tier_at then own = string.match(ARGV[16], '^,[^=]+=(%d+:%d+),', tier_at) end
end
if own then
  local l, w = string.match(own, '^(%d+):(%d+)$')
  limit, window = tonumber(l), tonumber(w)
end

local function ceil_div(a, b)
  local q = math.floor(a / b)
  if q * b < a then q = q + 1 end
  return q
end

-- MGET answers nil for a key that holds no string (the sliding window's sorted set)
local stored = redis.call('MGET', KEYS[1], KEYS[2])
local score, blocked_until, violations, last_at, _, blocks = read_abuse(stored[1])
if stored[1] then
  local half_life = tonumber(ARGV[14])
  if half_life > 0 and score > 0 then -- twin of AbuseScoring.decayed
    local elapsed = math.max(0, now - last_at)
    local halves = math.floor(elapsed / half_life)
    if halves >= 63 then score = 0 else score = math.floor(score / 2 ^ halves) end
    score = score - math.floor(score * (elapsed % half_life) / (2 * half_life))
    if blocked_until == -1 and score < tonumber(ARGV[8]) then blocked_until = 0 end
  end
  if mode == 'consume' and blocked_until < 0 then -- -1 blocked until lifted, -2 banned until unbanned
    redis.call('PEXPIRE', KEYS[1], math.max(block_retention, redis.call('PTTL', KEYS[1])))
    return {2, 0, 0, -1, 0, score, 0, limit}
  elseif mode == 'consume' and blocked_until > now then
    return {2, 0, 0, blocked_until - now, 0, score, 0, limit}
  end
end
