-- Tail of every decision script: runs the strategy and, on a violation, scores it
-- (twin of AbuseScoring.recordViolation). Only the violation path writes the abuse keys.
-- includes: abuse-record.lua
-- uses from decide-head.lua: the settings (the first line's named locals), now, mode, reply, ALLOWED,
--   RATE_LIMITED, stored, score, blocked_until, violations, blocks;
--   from the strategy: decide(raw), refund(raw)
if mode == 'refund' then
  local left, reset = refund(stored[2])
  return reply(ALLOWED, left, reset, 0, 0, 0, 0)
end
local allowed, remaining, reset_after, retry_after, delay = decide(stored[2])
if allowed then
  return reply(ALLOWED, remaining, reset_after, 0, delay, 0, 0)
end
if shadow then -- shadow mode: the gateway forwards and counts it; no score, no block
  return reply(RATE_LIMITED, 0, reset_after, retry_after, 0, 0, 0)
end

-- the n-th block lasts base * (percent/100)^(n-1), at most cap (twin of AbuseScoring.blockDurationMillis)
local function block_length(base, n, percent, cap)
  if base == 0 or percent <= 100 then return base end
  local length = math.min(base, cap)
  for _ = 2, n do
    if length >= cap then break end
    local grown = math.floor(length * percent / 100)
    if grown <= length then break end
    length = math.min(grown, cap)
  end
  return length
end

local recent = redis.call('ZCOUNT', KEYS[3], '(' .. string.format('%d', now - repeat_window), '+inf')
score = score + math.floor(points * (100 + repeat_percent * recent) / 100)
violations = violations + 1
local newly_blocked, block_ms = 0, 0
if score >= block_threshold then -- a blocked user never gets here: this is a new block
  newly_blocked = 1
  blocks = blocks + 1
  block_ms = block_length(block_duration, blocks, block_factor_percent, max_block)
  if block_ms > 0 then blocked_until = now + block_ms else blocked_until = -1 end
end
-- how long the record is kept (twin of ScoringRules.keepMillis): a user never blocked only while the score can
-- still matter (the repeat window; with decay, as many half-lives as the score has bits), not for retention
local ttl = retention
if blocked_until < 0 then
  ttl = math.max(retention, block_retention)
elseif blocked_until > now then
  ttl = math.max(retention, blocked_until - now)
elseif blocks == 0 and half_life > 0 then
  local bits, left = 0, score
  while left > 0 do left = math.floor(left / 2); bits = bits + 1 end
  ttl = math.min(retention, math.max(repeat_window, half_life * bits))
end
redis.call('ZADD', KEYS[3], now, string.format('%d:%s:%d', now, action, score))
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(history_size + 1))
redis.call('PEXPIRE', KEYS[3], math.min(ttl, retention))
redis.call('SET', KEYS[1], format_abuse(score, blocked_until, violations, now, action, blocks), 'PX', ttl)
return reply(RATE_LIMITED, 0, reset_after, retry_after, 0, newly_blocked, block_ms)
