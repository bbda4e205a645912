import { InvalidArgumentError } from '@walrus/core';
import { Message, Stream, TimeSeries } from '@walrus/streams';
import { describeTopologies } from '@walrus/testing';

const day = (d: number) => new Date(Date.UTC(2018, 0, d));

describeTopologies('TimeSeries', (t) => {
  it('walks through the documented time-series session with UTC dates', async () => {
    const ts = new TimeSeries(t.db, 'demo-ts', ['s1', 's2']);
    await new Stream(t.db, 's1').add({ '': '' }, { id: '0-1' });
    await new Stream(t.db, 's2').add({ '': '' }, { id: '0-1' });
    await ts.create();
    await ts.setId('$');

    for (let i = 1; i <= 10; i++) await ts.stream('s1').add({ message: `s1-${day(i).toISOString()}` }, { id: day(i) });
    const slice = await ts.stream('s1').range({ start: day(2), count: 3 });
    expect(slice.every((m) => m instanceof Message)).toBe(true);
    expect(slice.map((m) => [m.stream, m.id, m.timestamp.toISOString(), m.sequence])).toEqual([
      ['s1', '1514851200000-0', '2018-01-02T00:00:00.000Z', 0],
      ['s1', '1514937600000-0', '2018-01-03T00:00:00.000Z', 0],
      ['s1', '1515024000000-0', '2018-01-04T00:00:00.000Z', 0],
    ]);

    for (let i = 1; i <= 5; i++) await ts.stream('s2').add({ message: `s2-${i}` }, { id: day(i) });
    const messages = await ts.read({ count: 2 });
    expect(messages.map((m) => [m.stream, m.timestamp.getTime()])).toEqual([
      ['s1', day(1).getTime()],
      ['s2', day(1).getTime()],
      ['s1', day(2).getTime()],
      ['s2', day(2).getTime()],
    ]);

    const pending = await ts.stream('s1').pending();
    expect(pending.map((p) => [p.timestamp.toISOString(), p.sequence, p.consumer, p.deliveries])).toEqual([
      ['2018-01-01T00:00:00.000Z', 0, 'demo-ts.c1', 1],
      ['2018-01-02T00:00:00.000Z', 0, 'demo-ts.c1', 1],
    ]);
    for (const p of pending) expect(await ts.stream('s1').ack({ timestamp: p.timestamp, sequence: p.sequence })).toBe(1);
    expect(await ts.stream('s1').pending()).toEqual([]);

    await ts.stream('s1').setId(day(1));
    const next = await ts.stream('s1').read({ count: 2 });
    expect(next.map((m) => m.timestamp)).toEqual([day(2), day(3)]);
    expect(next[0]).toBeInstanceOf(Message);
  });

  it('orders merged reads by numeric id, not by string', async () => {
    const ts = new TimeSeries(t.db, 'order', ['n1', 'n2']);
    await ts.create();
    await ts.stream('n1').add({ v: 'a' }, { id: '10-0' });
    await ts.stream('n2').add({ v: 'b' }, { id: '9-0' });
    await ts.stream('n2').add({ v: 'c' }, { id: '100-0' });
    expect((await ts.read()).map((m) => m.id)).toEqual(['9-0', '10-0', '100-0']);
  });

  it('takes Dates as whole-millisecond range bounds and Messages as ids', async () => {
    const ts = new TimeSeries(t.db, 'bounds', 'ms');
    await ts.create();
    const s = ts.stream('ms');
    const when = new Date(Date.UTC(2020, 5, 1, 12));
    await s.add({ v: '1' }, { id: { timestamp: when, sequence: 0 } });
    await s.add({ v: '2' }, { id: { timestamp: when, sequence: 1 } });
    await s.add({ v: '3' }, { id: new Date(when.getTime() + 1) });
    expect((await s.range({ start: when, end: when })).map((m) => m.data.v)).toEqual(['1', '2']);
    expect((await s.revRange({ start: when, count: 1 })).map((m) => m.sequence)).toEqual([1]);
    const [m1] = await s.range({ count: 1 });
    expect((await s.get(m1))?.data).toEqual({ v: '1' });
    const iterated: string[] = [];
    for await (const m of s) iterated.push(m.data.v);
    expect(iterated).toEqual(['1', '2', '3']);
    const read = await s.read();
    expect(await s.claim(read.slice(0, 1))).toEqual([read[0]]);
    const auto = await s.autoClaim({ minIdle: 0, start: when });
    expect(auto.messages.map((m) => m.data.v)).toEqual(['1', '2', '3']);
    expect(await s.delete(m1)).toBe(1);
    expect(await s.size()).toBe(2);
    await expect(s.add({ v: 'x' }, { id: new Date(Number.NaN) })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
