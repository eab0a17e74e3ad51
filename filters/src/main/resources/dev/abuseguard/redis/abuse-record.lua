-- The per-user abuse record, 'score:blocked_until:violations:last_at:last_action' (twin of
-- AbuseRecordFormat.java). blocked_until: 0 not blocked, -1 until lifted, -2 banned until unbanned, else
-- epoch ms.
-- includes: nothing

-- score, blocked_until, violations, last_at, last_action of a stored record; zeros and '' for none
local function read_abuse(raw)
  if not raw then return 0, 0, 0, 0, '' end
  local s, b, v, l, a = string.match(raw, '^(%d+):(-?%d+):(%d+):(%d+):(.*)$')
  return tonumber(s), tonumber(b), tonumber(v), tonumber(l), a
end

local function format_abuse(score, blocked_until, violations, last_at, last_action)
  return string.format('%d:%d:%d:%d:%s', score, blocked_until, violations, last_at, last_action)
end
