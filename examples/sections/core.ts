import { Script, type Walrus } from '@walrus/core';

export async function tour(db: Walrus): Promise<void> {
  const server = await db.server();
  console.log(`connected to ${server.flavor} ${server.version}${db.isCluster ? ' (cluster)' : ''}; keys start with "${db.prefix}"`);

  // A Lua script runs by SHA and falls back to EVAL when the server has not seen it.
  const bump = new Script('bump', "return redis.call('INCRBY', KEYS[1], ARGV[1])");
  console.log('bump(hits, 5) ->', await bump.run(db, [db.key('hits')], [5]));

  // Keys of one structure share a hash tag, hence one cluster slot.
  const ks = db.keyspace('jobs');
  console.log('keyspace keys:', ks.key('lock:'), ks.key('lock.event:'));

  // Blocking commands get a connection of their own, so they never stall the others.
  const pop = db.blocking((c) => c.command(['BLPOP', db.key('queue'), '1']));
  await db.command(['RPUSH', db.key('queue'), 'job-1']);
  console.log('blocking pop ->', await pop);
}
