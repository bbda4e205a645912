/// <reference lib="dom" />
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { describeTopologies } from '@walrus/testing';
import { cohort, markEvent, renderCohortCsv, renderCohortHtml, type CohortRow } from '../src';
import { ensureChromium } from './support/chromium';

// One browser for the file: Debian's chromium driven by playwright-core (which never downloads a browser).
let context: BrowserContext;
let profile: string;
const shots = mkdtempSync(join(tmpdir(), 'bitmapist-cohort-'));

beforeAll(async () => {
  const executablePath = ensureChromium(); // installs the Debian package when missing and root (about 20 s)
  profile = mkdtempSync(join(tmpdir(), 'bitmapist-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1100, height: 700 },
    deviceScaleFactor: 1,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 600_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  console.log(`cohort screenshots: ${shots}`);
});

/** hsl(h, s%, l%) as 0-255 RGB channels (CSS Color 4 conversion, unrounded). */
function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return 255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
  };
  return [f(0), f(8), f(4)];
}
const SHADE = hslToRgb(200, 0.8, 0.5);

/** Reads pixels of a PNG by drawing it on a canvas in the browser (the browser decodes the PNG). */
async function pixels(page: Page, png: Buffer, points: { x: number; y: number }[]): Promise<[number, number, number][]> {
  return page.evaluate(
    async ({ src, points }) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      return points.map(({ x, y }) => {
        const [r, g, b] = ctx.getImageData(x, y, 1, 1).data;
        return [r, g, b] as [number, number, number];
      });
    },
    { src: `data:image/png;base64,${png.toString('base64')}`, points },
  );
}

const day = (i: number) => new Date(Date.UTC(2024, 4, 1 + i, 12));

describeTopologies('cohort HTML in Chromium', (t) => {
  let rows: CohortRow[];

  beforeAll(async () => {
    // Day 0: 10 sign-ups; then 10, 5, 1, 0 of them active. Day 1: 4 sign-ups, 2 then 4 active. Day 2: none.
    const signups: Record<number, number[]> = { 0: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 1: [11, 12, 13, 14] };
    const active: Record<number, number[]> = { 0: signups[0], 1: [1, 2, 3, 4, 5, 11, 12], 2: [1, 11, 12, 13, 14], 3: [50] };
    for (const [d, ids] of Object.entries(signups)) for (const id of ids) await markEvent(t.db, 'signup', id, { now: day(Number(d)) });
    for (const [d, ids] of Object.entries(active)) for (const id of ids) await markEvent(t.db, 'active', id, { now: day(Number(d)) });
    rows = await cohort(t.db, { select1: 'signup', select2: 'active', numResults: 3, numRows: 4, startDate: day(0) });
  });

  it('renders the table: one row per period, shaded cells in the expected colours, averages, CSV link', async () => {
    const html = renderCohortHtml(rows, { timeGroup: 'days', asPercent: true, title: 'Sign-ups <retention> & "activity"' });
    const page = await context.newPage();
    try {
      await page.setContent(html);
      expect(await page.title()).toBe('Sign-ups <retention> & "activity"');
      expect(await page.locator('table.cohort tbody tr').count()).toBe(rows.length);
      expect(await page.locator('table.cohort thead th').allTextContents()).toEqual(['Date', 'Total', '0', '1', '2', '3', '4']);
      expect(await page.locator('tbody th[scope=row]').allTextContents()).toEqual(['01 May, 2024', '02 May, 2024', '03 May, 2024']);
      const table = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      expect(table).toEqual([
        ['10', '100.0%', '50.0%', '10.0%', '0.0%', ''],
        ['4', '50.0%', '100.0%', '0.0%', '', ''],
        ['0', '', '', '', '', ''],
      ]);
      // Each shaded cell: alpha = share of the cohort rounded to one place, colour hsla(200, 80%, 50%, alpha).
      const cells = await page.locator('td.cell').evaluateAll((tds) => tds.map((td) => ({ alpha: td.getAttribute('data-alpha'), bg: getComputedStyle(td).backgroundColor })));
      expect(cells.map((c) => c.alpha)).toEqual(['1.0', '0.5', '0.1', '0.0', '0.5', '1.0', '0.0']);
      for (const c of cells) {
        const m = /rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/.exec(c.bg)!;
        const alpha = m[4] === undefined ? 1 : Number(m[4]);
        expect(alpha).toBeCloseTo(Number(c.alpha), 2);
        if (alpha > 0) [1, 2, 3].forEach((i) => expect(Math.abs(Number(m[i]) - SHADE[i - 1])).toBeLessThanOrEqual(1));
      }
      expect(await page.locator('tfoot td').allTextContents()).toEqual(['4.67', '75.0%', '75.0%', '5.0%', '0.0%', '']);
      const href = await page.locator('a.export').getAttribute('href');
      expect(href!.startsWith('data:text/csv;charset=utf-8,')).toBe(true);
      expect(decodeURIComponent(href!.slice('data:text/csv;charset=utf-8,'.length))).toBe(renderCohortCsv(rows, { timeGroup: 'days', asPercent: true }));
      expect(await page.locator('a.export').getAttribute('download')).toBe('cohort.csv');

      // The screenshot shows the shades: sample a point inside each cell, away from its text.
      const file = join(shots, `cohort-${t.topology}.png`);
      const png = await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(1000);
      const boxes = await page.locator('td.cell, td.empty').evaluateAll((tds) =>
        tds.map((td) => {
          const r = td.getBoundingClientRect();
          return { x: Math.round(r.left + 4), y: Math.round(r.top + 4), alpha: td.getAttribute('data-alpha') };
        }),
      );
      const seen = await pixels(page, png, boxes);
      boxes.forEach((b, i) => {
        const a = b.alpha === null ? 0 : Number(b.alpha);
        const expected = SHADE.map((c) => 255 * (1 - a) + c * a); // blended over the white page
        seen[i].forEach((v, ch) => expect(Math.abs(v - expected[ch])).toBeLessThanOrEqual(3));
      });
    } finally {
      await page.close();
    }
  });

  it('renders counts with shades relative to the row total, and escapes everything', async () => {
    const counts = await cohort(t.db, { select1: 'signup', select2: 'active', numResults: 2, numRows: 2, startDate: day(0), asPercent: false });
    const page = await context.newPage();
    try {
      await page.setContent(renderCohortHtml(counts, { timeGroup: 'weeks', asPercent: false, title: '<script>window.pwned = 1</script>' }));
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(await page.locator('h1').textContent()).toBe('<script>window.pwned = 1</script>');
      expect(await page.locator('tbody th[scope=row]').allTextContents()).toEqual(['Week 17, 01 May', 'Week 17, 02 May']);
      expect(await page.locator('td.cell').evaluateAll((tds) => tds.map((td) => [td.textContent, td.getAttribute('data-alpha')]))).toEqual([
        ['10', '1.0'],
        ['5', '0.5'],
        ['1', '0.1'],
        ['2', '0.5'],
        ['4', '1.0'],
        ['0', '0.0'],
      ]);
    } finally {
      await page.close();
    }
  });
});
