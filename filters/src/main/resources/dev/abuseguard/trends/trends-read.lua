-- Reads the counts of ARGV[1] minutes (the first KEYS, oldest first: HGETALL each) and the ARGV[2] users
-- with the most violations over the offenders sets that follow them in KEYS (one ZUNION).
-- Returns { {hgetall per minute}, {user, violations, ...} most first }. The rows and the offenders are asked
-- for apart: one of ARGV[1], ARGV[2] is 0.
-- includes: nothing
local n, top = tonumber(ARGV[1]), tonumber(ARGV[2])
local counts = {}
for i = 1, n do counts[i] = redis.call('HGETALL', KEYS[i]) end
local ranked = {}
if #KEYS > n and top > 0 then
  local args = { 'ZUNION', #KEYS - n }
  for i = n + 1, #KEYS do args[#args + 1] = KEYS[i] end
  args[#args + 1] = 'WITHSCORES'
  local all = redis.call(unpack(args))
  local i = #all - 1
  while i >= 1 and #ranked < 2 * top do
    ranked[#ranked + 1] = all[i]
    ranked[#ranked + 1] = all[i + 1]
    i = i - 2
  end
end
return { counts, ranked }
