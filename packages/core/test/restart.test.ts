import { Script, connect } from '@walrus/core';
import { enabledTopologies, startCluster, startServer } from '@walrus/testing';

// A restart empties the script cache: the runner must re-send the source once and carry on.
const incr = new Script('restart-incr', "return redis.call('INCR', KEYS[1])");

describe('the script runner across a server restart', () => {
  if (enabledTopologies().includes('standalone'))
    it('recovers on a standalone server', async () => {
      const server = await startServer({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
      const db = await connect(server.url);
      try {
        expect(await incr.run(db, ['n'])).toBe(1);
        await server.restart();
        expect(await incr.run(db, ['n'])).toBe(2);
        expect(await db.command(['SCRIPT', 'EXISTS', incr.sha])).toEqual([1]);
      } finally {
        await db.close();
        await server.stop();
      }
    });

  if (enabledTopologies().includes('cluster'))
    it('recovers on a cluster whose node restarted', async () => {
      const cluster = await startCluster({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
      const db = await connect({ cluster: { rootNodes: cluster.rootNodes } });
      try {
        const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
        for (const k of keys) expect(await incr.run(db, [k])).toBe(1);
        await cluster.nodes[1].restart();
        await cluster.waitReady();
        for (const k of keys) expect(await incr.run(db, [k])).toBe(2);
      } finally {
        await db.close();
        await cluster.stop();
      }
    });
});
