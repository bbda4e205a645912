import { setTimeout as sleep } from 'node:timers/promises';
import type { Walrus } from '@walrus/core';
import { ConsumerGroup, Stream, TimeSeries, listen, monitor, publish } from '@walrus/streams';

export async function tour(db: Walrus): Promise<void> {
  // A stream on its own: append, read a range, trim.
  const events = new Stream(db, 'events');
  const first = await events.add({ message: 'hello streams' });
  await events.addMany([{ message: 'message 2' }, { message: 'message 3' }]);
  console.log(`added ${first} and two more; range from ${first}, 2 entries ->`, (await events.range({ start: first, count: 2 })).map((e) => e.data.message));

  // A consumer group over two streams: each consumer reads what no one in the group has read yet.
  const group = new ConsumerGroup(db, 'cg-abc', ['stream-a', 'stream-b']);
  console.log('create() ->', await group.create());
  await group.stream('stream-a').add({ message: 'new a' });
  await group.stream('stream-b').addMany([{ message: 'b-0' }, { message: 'b-1' }]);
  const read = await group.read({ count: 1 });
  console.log('read({ count: 1 }) ->', read.map((b) => `${b.stream}: ${b.messages.map((m) => m.data.message).join(', ')}`));
  const pending = await group.stream('stream-b').pending();
  console.log('pending on stream-b ->', pending.map((p) => `${p.id} held by ${p.consumer}, delivered ${p.deliveries}x`));
  console.log('ack ->', await group.stream('stream-b').ack(pending[0].id));

  // The consumer loop: batches on a dedicated connection, acks with the next read, dead letters after 2 attempts.
  // It first re-claims what this consumer left pending (the entry of stream-a read above: delivery 2).
  for await (const m of group.consume({ block: 0, claimIdle: 10, deadLetter: { maxDeliveries: 2 } })) {
    if (m.data.message === 'b-1') {
      console.log(`consume: ${m.stream} ${m.data.message} failed on delivery ${m.deliveries}`);
      await m.fail(new Error('cannot handle b-1'));
      await sleep(20);
    } else console.log(`consume: ${m.stream} ${m.data.message} (delivery ${m.deliveries}) -> acknowledged`);
  }
  const dead = await new Stream(db, 'stream-b:dead').range();
  console.log('dead letters ->', dead.map((e) => `${e.data.message} after ${e.data._deliveries} deliveries: ${e.data._error}`));

  // A time series: ids are UTC times, reads across streams come back in time order.
  const ts = new TimeSeries(db, 'demo-ts', ['s1', 's2']);
  await ts.create();
  for (let day = 1; day <= 3; day++) {
    await ts.stream('s1').add({ message: `s1 day ${day}` }, { id: new Date(Date.UTC(2018, 0, day)) });
    await ts.stream('s2').add({ message: `s2 day ${day}` }, { id: new Date(Date.UTC(2018, 0, day)) });
  }
  console.log('time-series read({ count: 2 }) ->', (await ts.read({ count: 2 })).map((m) => `${m.stream} ${m.timestamp.toISOString().slice(0, 10)}`));

  // Pub/sub on a connection of its own, and MONITOR for debugging.
  const heard: string[] = [];
  const lines: string[] = [];
  const channel = db.key('news');
  await using _sub = await listen(db, { channels: [channel] }, (message) => void heard.push(message));
  await using _mon = await monitor(db, (line) => void (line.includes('PUBLISH') && lines.push(line.replace(/^\S+ /, ''))));
  await publish(db, channel, 'hello subscribers');
  await sleep(50);
  console.log('listen heard ->', heard, '| monitor saw ->', lines);
}
