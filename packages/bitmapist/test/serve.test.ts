import { InvalidArgumentError } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { serveCohort } from '@walrus/bitmapist/serve';
import { cohort, markEvent, renderCohortCsv } from '../src';

const day = (i: number) => new Date(Date.UTC(2024, 6, 1 + i, 9));

describeTopologies('serveCohort', (t) => {
  beforeAll(async () => {
    for (const id of [1, 2, 3, 4]) await markEvent(t.db, 'signup', id, { now: day(0) });
    for (const id of [1, 2]) await markEvent(t.db, 'active', id, { now: day(1) });
    await markEvent(t.db, 'a<b>', 9, { now: day(0) });
  });

  it('serves the form, the table for a query, and its CSV; 400 on bad input, 404 elsewhere', async () => {
    await using report = await serveCohort(t.db, { title: 'Retention' });
    expect(report.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    const home = await fetch(report.url);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await home.text();
    expect(page).toContain('<title>Retention</title>');
    for (const name of ['signup', 'active']) expect(page).toContain(`<option value="${name}">${name}</option>`);
    expect(page).toContain('a&#60;b&#62;'); // event names are escaped
    expect(page).not.toContain('<table');

    const query = 'select1=signup&select2=active&numResults=2&numRows=1&startDate=2024-07-01&timeGroup=days';
    const withTable = await (await fetch(`${report.url}?${query}`)).text();
    expect(withTable.match(/<tbody>[\s\S]*<\/tbody>/)![0].match(/<tr>/g)).toHaveLength(2);
    expect(withTable).toContain('<td class="cell" data-alpha="0.5" style="background-color: hsla(200, 80%, 50%, 0.5)">50.0%</td>');

    const csv = await fetch(`${report.url}cohort.csv?${query}&asPercent=0`);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="cohort.csv"');
    const rows = await cohort(t.db, { select1: 'signup', select2: 'active', numResults: 2, numRows: 1, startDate: '2024-07-01', asPercent: false });
    expect(await csv.text()).toBe(renderCohortCsv(rows, { timeGroup: 'days', asPercent: false }));

    const bad = await fetch(`${report.url}?select1=signup&select2=active&timeGroup=hours`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('timeGroup must be one of');
    expect((await fetch(`${report.url}nope`)).status).toBe(404);
    expect((await fetch(report.url, { method: 'POST' })).status).toBe(405);
  });

  it('stops listening when closed, and refuses bad ports', async () => {
    const report = await serveCohort(t.db);
    await report.close();
    await expect(fetch(report.url)).rejects.toThrow();
    await expect(serveCohort(t.db, { port: 70_000 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
