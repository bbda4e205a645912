import type { Walrus } from '@walrus/core';
import { and, date, defineModel, integer, or, setField, text } from '@walrus/models';

export async function tour(db: Walrus): Promise<void> {
  // A schema of typed fields: instances are typed from it (u.dob is a Date | null, u.tags a RedisSet).
  const User = defineModel(db, 'user', {
    name: text({ primaryKey: true }),
    dob: date({ index: true }),
    bio: text({ fts: true }),
    logins: integer({ index: true, default: 0 }),
    tags: setField(),
  });
  const people = [
    ['Charlie', '1983-01-01', 'Writes Python and Redis tools'],
    ['Huey', '2011-06-01', 'A cat who likes walrus toys'],
    ['Mickey', '2007-08-01', 'Prefers Redis to Python'],
    ['Zaizee', '2012-05-01', 'Naps a lot'],
  ] as const;
  for (const [name, dob, bio] of people) await User.create({ name, dob: new Date(dob), bio });
  console.log('stored', await User.count(), 'users; each save wrote the hash and its indexes in one script');

  const charlie = await User.load('Charlie');
  await charlie.tags.add('admin', 'python');
  console.log('Charlie', charlie.dob?.toISOString().slice(0, 10), 'tags', (await charlie.tags.values()).sort(), 'key', charlie.$key);
  console.log('logins after incr:', await charlie.incr('logins'), await charlie.incr('logins', 2));

  const born = (u: { name: string; dob: Date | null }) => `${u.name} (${u.dob?.toISOString().slice(0, 4)})`;
  const young = await User.query({ where: User.fields.dob.ge(new Date('2007-01-01')), orderBy: User.fields.dob.desc() });
  console.log('born 2007 or later, newest first:', young.map(born).join(', '));
  const either = or(User.fields.name.eq('Charlie'), User.fields.dob.between(new Date('2011-01-01'), new Date('2011-12-31')));
  console.log('Charlie or born in 2011:', (await User.query({ where: either, orderBy: User.fields.name.asc() })).map((u) => u.name).join(', '));
  const search = and(User.fields.bio.search('python AND (redis OR walrus)'), User.fields.dob.lt(new Date('2010-01-01')));
  console.log('bio matches "python AND (redis OR walrus)", born before 2010:', (await User.query({ where: search })).map((u) => u.name).join(', '));

  await (await User.get(User.fields.name.eq('Zaizee'))).delete();
  console.log('after delete:', await User.count(), 'users; queryDelete removed', await User.queryDelete(User.fields.dob.lt(new Date('2000-01-01'))));
}
