import { InvalidArgumentError, WrongTypeError } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { Counter } from '@walrus/containers';

describeTopologies('Counter', (t) => {
  it('counts at counter:<name>, reading 0 before the first change', async () => {
    const c = new Counter(t.db, 'hits');
    expect(c.key).toBe(t.key('counter:hits'));
    expect(await c.value()).toBe(0);
    expect(await c.exists()).toBe(false);
    expect(await c.incr()).toBe(1);
    expect(await c.incr(10)).toBe(11);
    expect(await c.decr()).toBe(10);
    expect(await c.decr(15)).toBe(-5);
    await c.set(100);
    expect(await c.value()).toBe(100);
    expect(await t.rawCommand(['GET', t.key('counter:hits')], t.key('counter:hits'))).toBe('100');
  });

  it('refuses non-integers and reports stored non-integers, writing nothing', async () => {
    const c = new Counter(t.db, 'strict');
    await expect(c.incr(1.5)).rejects.toThrow(InvalidArgumentError);
    await expect(c.set(NaN)).rejects.toThrow(InvalidArgumentError);
    expect(await c.exists()).toBe(false);
    expect(() => new Counter(t.db, '')).toThrow(InvalidArgumentError);
    await t.rawCommand(['SET', t.key('counter:text'), 'abc'], t.key('counter:text'));
    const text = new Counter(t.db, 'text');
    await expect(text.incr()).rejects.toThrow(InvalidArgumentError);
    await expect(text.value()).rejects.toThrow(InvalidArgumentError);
    await t.rawCommand(['RPUSH', t.key('counter:list'), 'x'], t.key('counter:list'));
    await expect(new Counter(t.db, 'list').incr()).rejects.toMatchObject({ name: 'WrongTypeError', expected: 'string', actual: 'list' });
    await expect(new Counter(t.db, 'list').value()).rejects.toBeInstanceOf(WrongTypeError);
  });
});
