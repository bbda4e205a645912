import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { InvalidArgumentError, WalrusError, type Walrus } from '@walrus/core';
import { cohort, type CohortOptions, type TimeGroup } from './cohort';
import { cohortPage, cohortTableHtml, escapeHtml, renderCohortCsv } from './cohort-render';
import { checkDb, type KeyOptions } from './keys';
import { getEventNames } from './maintenance';

/** Options of {@link serveCohort}. */
export interface ServeCohortOptions extends KeyOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default `'127.0.0.1'` (the report has no authentication: keep it local). */
  host?: string;
  /** Page title. Default `'Cohort analysis'`. */
  title?: string;
}

/** A running cohort report server. */
export interface CohortServer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:53211/`. */
  readonly url: string;
  /** Stops accepting requests and closes open connections. */
  close(): Promise<void>;
}

const GROUPS: readonly TimeGroup[] = ['days', 'weeks', 'months', 'years'];

/** Cohort options from a query string (`select1`, `select2`, `select1b`, `select2b`, `timeGroup`, …). */
function optionsFrom(q: URLSearchParams, keys: KeyOptions): CohortOptions {
  const num = (name: string) => {
    const v = q.get(name);
    return v === null || v === '' ? undefined : Number(v);
  };
  const timeGroup = (q.get('timeGroup') || 'days') as TimeGroup;
  return {
    ...keys,
    select1: q.get('select1') ?? '',
    select2: q.get('select2') ?? '',
    select1b: q.get('select1b') || undefined,
    select2b: q.get('select2b') || undefined,
    timeGroup,
    asPercent: q.get('asPercent') !== '0',
    numResults: num('numResults'),
    numRows: num('numRows'),
    startDate: q.get('startDate') || undefined,
  };
}

function form(names: string[], q: URLSearchParams): string {
  const select = (name: string, optional: boolean) => {
    const current = q.get(name) ?? '';
    const opts = (optional ? [''] : []).concat(names.includes(current) || current === '' ? names : [current, ...names]);
    return `<label>${name}<select name="${name}">${opts.map((n) => `<option value="${escapeHtml(n)}"${n === current ? ' selected' : ''}>${escapeHtml(n || '—')}</option>`).join('')}</select></label>`;
  };
  const input = (name: string, type: string, placeholder: string) =>
    `<label>${name}<input name="${name}" type="${type}" value="${escapeHtml(q.get(name) ?? '')}" placeholder="${placeholder}"></label>`;
  const group = q.get('timeGroup') || 'days';
  return `<form class="cohort" method="get" action="./">
${select('select1', false)}${select('select1b', true)}${select('select2', false)}${select('select2b', true)}
<label>timeGroup<select name="timeGroup">${GROUPS.map((g) => `<option${g === group ? ' selected' : ''}>${g}</option>`).join('')}</select></label>
<label>asPercent<select name="asPercent"><option value="1">percent</option><option value="0"${q.get('asPercent') === '0' ? ' selected' : ''}>count</option></select></label>
${input('numResults', 'number', '31')}${input('numRows', 'number', '12')}${input('startDate', 'date', '')}
<button type="submit">Show</button>
</form>`;
}

async function handle(db: Walrus, o: ServeCohortOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const send = (status: number, type: string, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store', ...extra });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n', { allow: 'GET, HEAD' });
  const keys: KeyOptions = { keyPrefix: o.keyPrefix, hashTag: o.hashTag };
  const title = o.title ?? 'Cohort analysis';
  const q = url.searchParams;
  try {
    if (url.pathname === '/cohort.csv') {
      const co = optionsFrom(q, keys);
      const csv = renderCohortCsv(await cohort(db, co), { timeGroup: co.timeGroup!, asPercent: co.asPercent! });
      return send(200, 'text/csv', csv, { 'content-disposition': 'attachment; filename="cohort.csv"' });
    }
    if (url.pathname !== '/') return send(404, 'text/plain', 'not found\n');
    const names = await getEventNames(db, keys);
    let table = '';
    if (q.get('select1') || q.get('select2')) {
      const co = optionsFrom(q, keys);
      table = cohortTableHtml(await cohort(db, co), { timeGroup: co.timeGroup!, asPercent: co.asPercent! });
    }
    return send(200, 'text/html', cohortPage(title, `${form(names, q)}\n${table}`));
  } catch (err) {
    if (err instanceof InvalidArgumentError) return send(400, 'text/html', cohortPage(title, `${form([], q)}\n<p class="error">${escapeHtml(err.message)}</p>`));
    const message = err instanceof WalrusError ? err.message : 'internal error';
    return send(500, 'text/plain', `${message}\n`);
  }
}

/**
 * Serves an interactive cohort report over `node:http`: `/` shows a form (event names from `getEventNames`) and
 * the table for its query (`?select1=signup&select2=active&timeGroup=weeks&numResults=8`), `/cohort.csv` the CSV
 * export of the same query. Listens on 127.0.0.1 by default. Stop it with `close()` or `await using`.
 *
 * @example
 * await using report = await serveCohort(db, { port: 8080 });
 * console.log(report.url);
 */
export async function serveCohort(db: Walrus, o: ServeCohortOptions = {}): Promise<CohortServer> {
  checkDb(db);
  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('port must be an integer from 0 to 65535', { field: 'port', value: port });
  const host = o.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    handle(db, o, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  return { url: `http://${shownHost}:${actual}/`, close, [Symbol.asyncDispose]: close };
}
