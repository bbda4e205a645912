import type { Walrus } from '@walrus/core';
import { BitField, BloomFilter, Counter, Hash, HyperLogLog, List, RedisArray, RedisSet, ZSet, cas, getKey } from '@walrus/containers';

export async function tour(db: Walrus): Promise<void> {
  // A Hash reads like a Map.
  const charlie = new Hash(db, 'charlie');
  await charlie.setMany({ name: 'Charlie', favorite_cat: 'Huey' });
  await charlie.set('age', '31');
  console.log('hash:', await charlie.toObject(), '| has name?', await charlie.has('name'));

  // A List slices like an array and can block for the next element on a connection of its own.
  const names = new List(db, 'names');
  await names.push('charlie', 'huey', 'mickey', 'zaizee');
  console.log('list slice(0, 2):', await names.slice(0, 2), '| slice(-2):', await names.slice(-2));
  const jobs = new List(db, 'jobs');
  const next = jobs.blockingShift({ timeout: '1s' });
  await jobs.push('job-1');
  console.log('blocking shift waited for ->', await next);

  // Set algebra needs the sets in one cluster slot: make them from one db.group(tag).
  const pets = db.group('pets');
  const s1 = new RedisSet(pets, 's1');
  const s2 = new RedisSet(pets, 's2');
  await s1.add('0', '1', '2', '3', '4');
  await s2.add('3', '4', '5', '6', '7');
  console.log('s1 & s2:', (await s1.intersect(s2)).sort(), '| s1 - s2:', (await s1.diff(s2)).sort());

  // A sorted set slices by rank, by member, by score or by lex.
  const ages = new ZSet(db, 'ages');
  await ages.add({ charlie: 31, huey: 3, mickey: 6, zaizee: 2.5 });
  console.log('younger than mickey:', await ages.slice(0, { member: 'mickey' }));
  console.log('two oldest:', await ages.slice(-2, undefined, { withScores: true }));
  console.log('older than 3:', await ages.rangeByScore({ value: 3, exclusive: true }, null));

  // Structures Redis lacks: an O(1)-indexed array (a hash + Lua), a bitfield, a Python-compatible Bloom filter.
  const arr = new RedisArray(db, 'arr');
  await arr.push('foo', 'bar', 'baz', 'nugget');
  await arr.set(-1, 'nize');
  console.log('array removeAt(2) ->', await arr.removeAt(2), '| now', await arr.toArray());

  const bits = new BitField(db, 'bits');
  console.log('bitfield ops:', await bits.op().set('u8', 8, 255).get('u8', 0).get('u4', 8).incrBy('u8', 8, 1, 'SAT'));
  await bits.setBits(0, 8, 166);
  console.log('bits [2, 6) of 10100110 ->', await bits.getBits(2, 6));

  const seen = new BloomFilter(db, 'seen');
  await seen.add('foo', 'bar');
  console.log('bloom has foo?', await seen.has('foo'), '| has FOO?', await seen.has('FOO'));

  const visitors = new HyperLogLog(db, 'visitors');
  await visitors.add('alice', 'bob', 'alice');
  console.log('distinct visitors ≈', await visitors.count());

  const hits = new Counter(db, 'hits');
  await hits.incr(5);
  console.log(`counter at "${hits.key.slice(db.prefix.length)}" =`, await hits.value());

  // Keyspace utilities: compare-and-set on a prefix, and a key as its rich type.
  await db.command(['SET', db.key('state'), 'pending:42']);
  console.log('cas pending -> running:', await cas(db, 'state', 'pending', 'running'));
  const h = await getKey(db, 'charlie');
  console.log('getKey(charlie) is a', h.constructor.name);
}
