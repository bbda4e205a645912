import type { Walrus } from '@walrus/core';
import { DayEvents, MonthEvents, UniqueEvents, cohort, markEvent, markUnique, renderCohortCsv, runInBitopScope, type CohortRow } from '@walrus/bitmapist';

const DAY = 86_400_000;
const start = Date.UTC(2024, 2, 4, 9); // Monday 4 March 2024, 09:00 UTC

/** A small made-up product: 6 sign-ups a day for 4 days; fewer of them come back each following day. */
async function simulate(db: Walrus): Promise<void> {
  for (let d = 0; d < 7; d++) {
    const now = new Date(start + d * DAY);
    const marks: Promise<void>[] = [];
    for (let cohortDay = 0; cohortDay <= Math.min(d, 3); cohortDay++) {
      const ids = Array.from({ length: 6 }, (_, i) => cohortDay * 6 + i);
      if (cohortDay === d) for (const id of ids) marks.push(markEvent(db, 'signup', id, { now }));
      // Everyone is active on their sign-up day, then fewer each day (odd days' cohorts drop faster).
      const kept = Math.max(0, 6 - (d - cohortDay) * (cohortDay % 2 ? 2 : 1));
      for (const id of ids.slice(0, kept)) marks.push(markEvent(db, 'active', id, { now, trackHourly: true }));
    }
    await Promise.all(marks);
  }
  for (const id of [0, 1, 7, 13]) await markUnique(db, 'premium', id);
}

function printTable(rows: CohortRow[]): void {
  const cell = (v: number | null) => (v === null ? '' : `${Math.round(v)}%`).padStart(6);
  console.log(`  ${'day'.padEnd(11)}${'total'.padStart(6)}${rows[0].cells.map((_, i) => `+${i}`.padStart(6)).join('')}`);
  for (const r of rows) console.log(`  ${r.date.toISOString().slice(0, 10).padEnd(11)}${String(r.total).padStart(6)}${r.cells.map(cell).join('')}`);
}

export async function tour(db: Walrus): Promise<void> {
  await simulate(db);
  const monday = new Date(start);
  const day = DayEvents.fromDate(db, 'active', monday);
  console.log(`markEvent wrote month, ISO week and day bitmaps, e.g. "${day.key.slice(db.prefix.length)}"`);
  console.log(`active on ${monday.toISOString().slice(0, 10)}: ${await day.count()}, next day: ${await day.next().count()}, in March: ${await MonthEvents.fromDate(db, 'active', monday).count()}`);

  // Set algebra: results live in temporary keys that the scope deletes at the end.
  await runInBitopScope(async () => {
    const premium = new UniqueEvents(db, 'premium');
    const activePremium = day.and(premium);
    const ids: number[] = [];
    for await (const id of activePremium) ids.push(id);
    console.log(`active and premium on the first day: ${JSON.stringify(ids)}; active but not premium: ${await day.and(premium.not()).count()}`);
  });

  // Retention: of each day's sign-ups, the share active on each following day.
  const rows = await cohort(db, { select1: 'signup', select2: 'active', numResults: 4, numRows: 3, startDate: monday });
  console.log('daily retention (sign-up -> active):');
  printTable(rows);
  console.log(`CSV export, first lines:\n  ${renderCohortCsv(rows, { timeGroup: 'days', asPercent: true }).split('\n').slice(0, 3).join('\n  ')}`);
}
