-- Head of every decision script: reads the user's abuse record, the strategy state and the overrides in one call,
-- and answers at once for a blocked user. Followed by the strategy's script, then decide-tail.lua.
-- includes: server-time.lua, abuse-record.lua
-- uses: the settings (the first line's locals, below)
-- defines for the strategy and the tail: limit, window, max_delay, now, mode, ceil_div(a, b), reply(...),
--   ALLOWED, RATE_LIMITED, BLOCKED, EXEMPT, stored ({abuse record, strategy state, overrides}), score,
--   blocked_until, violations, blocks
--
-- KEYS: 1 abuse record, 2 strategy state, 3 violation history, 4 the operator's overrides as decisions read them
--       (string ag:{u:<id>}:ov, '<exempt until ms, -1 until lifted, 0 none>;<tier or ''>;<own limits
--       ',<action>=<limit>:<window ms>,...,' or ''>', written with the hash ag:{u:<id>}:o by overrides-write.lua);
--       all share the hash tag {u:<id>}
-- settings: the action's constants, named locals the gateway compiles into the script's first line
--   (ActionScript.java: local limit, window, ... = 5, 3600000, ...); limit and window change below for a user's own:
--   limit, window (ms), max_delay (ms), action (its name), shadow (a refusal is only reported: never scored,
--   never a block), tier_limits (',<tier>=<limit>:<window ms>,...,' or ''), points, repeat_percent, repeat_window
--   (ms), block_threshold, block_duration (ms, 0 = until lifted), block_factor_percent (growing bans, 100 = off),
--   max_block (ms), retention (ms), block_retention (ms: bans and blocks until lifted, renewed whenever Redis
--   answers for the blocked user), history_size, half_life (ms, 0 = scores do not decay)
-- ARGV: the call's own: 1 now ms ('' = Redis TIME), 2 mode: 'consume' (check and spend) or 'refund' (give back one
--   request spent before the backend answered: spend-on failure, the answer did not count)
-- Returns reply(...): {outcome, remaining, reset after ms, retry after ms (-1: until lifted), delay ms, score,
--   newly blocked (0/1), the user's limit, the new block's length in ms (0: until lifted, or not newly blocked)},
--   read by name by DecisionReply.java
local ALLOWED, RATE_LIMITED, BLOCKED, EXEMPT = 0, 1, 2, 3
local now = tonumber(ARGV[1])
local mode = ARGV[2]
if not now then now = server_now_ms() end
local score = 0

local function reply(outcome, remaining, reset_after, retry_after, delay, newly_blocked, block_ms)
  return {outcome, remaining, reset_after, retry_after, delay, score, newly_blocked, limit, block_ms}
end

local function ceil_div(a, b)
  local q = math.floor(a / b)
  if q * b < a then q = q + 1 end
  return q
end

-- one call reads it all; MGET answers nil for a key that holds no string (the sliding window's sorted set)
local stored = redis.call('MGET', KEYS[1], KEYS[2], KEYS[4])

-- the operator's word on this user: exempt, or another limit (user's own > tier > action); absent for most users
if stored[3] then
  local exempt_until, tier, own_limits = string.match(stored[3], '^(-?%d+);([^;]*);(.*)$')
  exempt_until = tonumber(exempt_until)
  if exempt_until and (exempt_until < 0 or exempt_until > now) then return reply(EXEMPT, limit, 0, 0, 0, 0, 0) end
  local own
  local at = own_limits and string.find(own_limits, ',' .. action .. '=', 1, true)
  if at then own = string.match(own_limits, '^,[^=]+=(%d+:%d+),', at) end
  if not own and tier and tier ~= '' and tier_limits ~= '' then
    at = string.find(tier_limits, ',' .. tier .. '=', 1, true)
    if at then own = string.match(tier_limits, '^,[^=]+=(%d+:%d+),', at) end
  end
  if own then
    local l, w = string.match(own, '^(%d+):(%d+)$')
    limit, window = tonumber(l), tonumber(w)
  end
end
local blocked_until, violations, last_at, _, blocks
score, blocked_until, violations, last_at, _, blocks = read_abuse(stored[1])
if stored[1] then
  if half_life > 0 and score > 0 then -- twin of AbuseScoring.decayed
    local elapsed = math.max(0, now - last_at)
    local halves = math.floor(elapsed / half_life)
    if halves >= 63 then score = 0 else score = math.floor(score / 2 ^ halves) end
    score = score - math.floor(score * (elapsed % half_life) / (2 * half_life))
    if blocked_until == -1 and score < block_threshold then blocked_until = 0 end
  end
  if mode == 'consume' and blocked_until < 0 then -- -1 blocked until lifted, -2 banned until unbanned
    redis.call('PEXPIRE', KEYS[1], math.max(block_retention, redis.call('PTTL', KEYS[1])))
    return reply(BLOCKED, 0, 0, -1, 0, 0, 0)
  elseif mode == 'consume' and blocked_until > now then
    return reply(BLOCKED, 0, 0, blocked_until - now, 0, 0, 0)
  end
end
