/**
 * Lua for the Redis touchpoint index (layout in touchpoint-index.redis.ts). Shared helpers come
 * first in every script. Keys are built inside the scripts from the prefix, so the index needs
 * one Redis server (or one Cluster hash slot), not a Cluster spread over many.
 *
 * Redis keeps a small hash as a listpack (a few bytes per entry) only while every value is at
 * most 64 bytes (hash-max-listpack-value): one longer value turns the whole shard into a
 * hashtable (~50 bytes more per entry). So a record over 64 bytes is split into parts of 64
 * under `ref`, `ref1`, `ref2`, `ref3` in the same shard (only records over 256 bytes go to the
 * overflow shard `x:`), and a list field (refs of one advertising id or one IP+platform+OS)
 * moves to the overflow shard once it holds more than 8 refs.
 */
const HELPERS = `
local P = ARGV[1]
local S = tonumber(ARGV[2])
local LIMIT = 64
local function shard(id)
  local a, b, c, d = string.byte(id, 1, 4)
  return tostring((((a * 256 + b) * 256 + c) * 256 + d) % S)
end
local function tsOf(rec)
  local a, b, c, d, e, f = string.byte(rec, 2, 7)
  return ((((a * 256 + b) * 256 + c) * 256 + d) * 256 + e) * 256 + f
end
local function floorOf()
  local f = redis.call('GET', P .. 'f')
  if f then return tonumber(f) end
  return -1
end
local PARTS = 4
local function getRecord(ref)
  local s = shard(ref)
  local k = P .. 'r:' .. s
  local rec = redis.call('HGET', k, ref)
  if rec then
    if #rec == LIMIT then
      for part = 1, PARTS - 1 do
        local more = redis.call('HGET', k, ref .. part)
        if not more then break end
        rec = rec .. more
        if #more < LIMIT then break end
      end
    end
    return rec, k
  end
  k = P .. 'x:' .. s
  rec = redis.call('HGET', k, ref)
  if rec then return rec, k end
  return false, nil
end
local function putRecord(ref, rec, expireAt)
  local s = shard(ref)
  local k = P .. 'r:' .. s
  if #rec > PARTS * LIMIT then
    k = P .. 'x:' .. s
    redis.call('HSET', k, ref, rec)
  else
    redis.call('HSET', k, ref, string.sub(rec, 1, LIMIT))
    local part = 1
    for i = LIMIT + 1, #rec, LIMIT do
      redis.call('HSET', k, ref .. part, string.sub(rec, i, i + LIMIT - 1))
      part = part + 1
    end
  end
  redis.call('PEXPIREAT', k, expireAt)
end
local function deleteRecord(ref, k)
  redis.call('HDEL', k, ref, ref .. '1', ref .. '2', ref .. '3')
end
local function listGet(kind, field)
  local s = shard(field)
  local k = P .. kind .. ':' .. s
  local v = redis.call('HGET', k, field)
  if v then return v, k end
  k = P .. kind .. 'x:' .. s
  v = redis.call('HGET', k, field)
  if v then return v, k end
  return false, nil
end
local function listPut(kind, field, value, was, expireAt)
  local s = shard(field)
  local k = P .. kind .. ':' .. s
  if #value > LIMIT then k = P .. kind .. 'x:' .. s end
  if was and was ~= k then redis.call('HDEL', was, field) end
  if #value == 0 then
    if was then redis.call('HDEL', was, field) end
    return
  end
  redis.call('HSET', k, field, value)
  if expireAt then redis.call('PEXPIREAT', k, expireAt) end
end
local function listRemove(kind, field, ref)
  local v, k = listGet(kind, field)
  if not v then return end
  for i = 1, #v, 8 do
    if string.sub(v, i, i + 7) == ref then
      listPut(kind, field, string.sub(v, 1, i - 1) .. string.sub(v, i + 8), k, nil)
      return
    end
  end
end
`;

/**
 * ARGV: prefix, shards, ts, ref, record, ad key id or '', device key id or '',
 * profile id, profile JSON or '' (known to be stored already), shard expiry, profile expiry,
 * profile period. Answers 1 when kept, 0 when below the floor or a click already kept, -1 when
 * the profile was not sent but is not stored (lost with a Redis restart): send it and ask again.
 */
export const ADD_TOUCH = `${HELPERS}
local ts = tonumber(ARGV[3])
local ref, rec, ad, dev = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local shardExpire, profileExpire = ARGV[10], ARGV[11]
if ts < floorOf() then return 0 end
if getRecord(ref) then return 0 end
local pk = P .. 'p:' .. ARGV[12]
if ARGV[9] == '' and redis.call('HEXISTS', pk, ARGV[8]) == 0 then return -1 end
putRecord(ref, rec, shardExpire)
if ad ~= '' then
  local v, k = listGet('a', ad)
  listPut('a', ad, (v or '') .. ref, k, shardExpire)
end
if dev ~= '' then
  local v, k = listGet('d', dev)
  listPut('d', dev, (v or '') .. ref, k, shardExpire)
end
if ARGV[9] ~= '' then
  redis.call('HSETNX', pk, ARGV[8], ARGV[9])
  redis.call('PEXPIREAT', pk, profileExpire)
end
redis.call('INCR', P .. 'n')
-- The hour's eviction journal: a bitmap of the shards this touch wrote (record and lists), so
-- eviction visits only the shards of the hours it forgets (a few bytes per hour, not per touch).
local hour = math.floor(ts / 3600000)
local ek = P .. 'e:' .. hour
redis.call('SETBIT', ek, shard(ref), 1)
if ad ~= '' then redis.call('SETBIT', ek, shard(ad), 1) end
if dev ~= '' then redis.call('SETBIT', ek, shard(dev), 1) end
redis.call('PEXPIREAT', ek, shardExpire)
redis.call('ZADD', P .. 'eh', hour, hour)
redis.call('PEXPIREAT', P .. 'eh', shardExpire)
return 1
`;

/** Record and profile pairs, flattened, for records at or above max(since, floor). */
const COLLECT = `
local function collect(out, ref, since)
  local rec = getRecord(ref)
  if not rec then return end
  local ts = tsOf(rec)
  if ts < since then return end
  local period = math.floor(ts / tonumber(ARGV[3]))
  out[#out + 1] = rec
  out[#out + 1] = redis.call('HGET', P .. 'p:' .. period, string.sub(rec, 8, 13)) or ''
end
`;

/** ARGV: prefix, shards, profile period ms, ref. */
export const BY_REF = `${HELPERS}${COLLECT}
local out = {}
collect(out, ARGV[4], floorOf())
return out
`;

/** ARGV: prefix, shards, profile period ms, list kind ('a' or 'd'), key id, sinceMs. */
export const BY_LIST = `${HELPERS}${COLLECT}
local out = {}
local refs = listGet(ARGV[4], ARGV[5])
if not refs then return out end
local since = math.max(tonumber(ARGV[6]), floorOf())
for i = 1, #refs, 8 do collect(out, string.sub(refs, i, i + 7), since) end
return out
`;

/** ARGV: prefix, shards, floor. Raises the floor; answers the old one (-1 when none). */
export const RAISE_FLOOR = `${HELPERS}
local old = floorOf()
local floor = tonumber(ARGV[3])
if floor > old then redis.call('SET', P .. 'f', ARGV[3]) end
return tostring(old)
`;

/**
 * ARGV: prefix, shards, floor, then shard numbers. Forgets the touches of those record shards
 * older than the floor; answers how many. Only the first part of a record is read: the time is
 * in its first bytes.
 */
export const EVICT_RECORDS = `${HELPERS}
local floor = tonumber(ARGV[3])
local n = 0
for a = 4, #ARGV do
  local s = ARGV[a]
  for _, kind in ipairs({'r:', 'x:'}) do
    local k = P .. kind .. s
    local all = redis.call('HGETALL', k)
    for i = 1, #all, 2 do
      local field, rec = all[i], all[i + 1]
      if #field == 8 and tsOf(rec) < floor then
        deleteRecord(field, k)
        n = n + 1
      end
    end
  end
end
if n > 0 then redis.call('DECRBY', P .. 'n', n) end
return n
`;

/**
 * ARGV: prefix, shards, then shard numbers. Drops from the lookup lists of those shards every
 * ref whose record is gone (run after EVICT_RECORDS has passed every shard of the round).
 */
export const PRUNE_LISTS = `${HELPERS}
local function exists(ref)
  local s = shard(ref)
  return redis.call('HEXISTS', P .. 'r:' .. s, ref) == 1 or redis.call('HEXISTS', P .. 'x:' .. s, ref) == 1
end
local dropped = 0
for a = 3, #ARGV do
  local s = ARGV[a]
  for _, kind in ipairs({'a', 'd'}) do
    for _, where in ipairs({P .. kind .. ':' .. s, P .. kind .. 'x:' .. s}) do
      local all = redis.call('HGETALL', where)
      for i = 1, #all, 2 do
        local field, refs = all[i], all[i + 1]
        local live = {}
        for j = 1, #refs, 8 do
          local ref = string.sub(refs, j, j + 7)
          if exists(ref) then live[#live + 1] = ref else dropped = dropped + 1 end
        end
        if #live * 8 < #refs then listPut(kind, field, table.concat(live), where, nil) end
      end
    end
  end
end
return dropped
`;

/** ARGV: prefix, shards, then (ref, ad key or '', device key or '') triples. Forgets those touches; answers how many were there. */
export const FORGET_TOUCHES = `${HELPERS}
local n = 0
for i = 3, #ARGV, 3 do
  local ref = ARGV[i]
  local rec, rk = getRecord(ref)
  if rec then
    deleteRecord(ref, rk)
    if ARGV[i + 1] ~= '' then listRemove('a', ARGV[i + 1], ref) end
    if ARGV[i + 2] ~= '' then listRemove('d', ARGV[i + 2], ref) end
    n = n + 1
  end
end
if n > 0 then redis.call('DECRBY', P .. 'n', n) end
return n
`;
