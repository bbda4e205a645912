import { InvalidArgumentError, formatPythonFloat } from '@walrus/core';
import type { CohortRow, TimeGroup } from './cohort';
import { csvLabel, htmlLabel, pythonPercent, pythonRound } from './cohort-format';

/** Options of {@link renderCohortCsv}. */
export interface CohortCsvOptions {
  /** The grouping the rows were computed with (it picks the date labels). */
  timeGroup: TimeGroup;
  /** Whether the cells are percentages (printed rounded to 2 places, as Python floats). */
  asPercent: boolean;
}

/** Options of {@link renderCohortHtml}. */
export interface CohortHtmlOptions extends CohortCsvOptions {
  /** Page and table title. Default `'Cohort analysis'`. */
  title?: string;
}

const GROUPS: readonly TimeGroup[] = ['days', 'weeks', 'months', 'years'];

function check(rows: readonly CohortRow[], o: CohortCsvOptions): number {
  if (!Array.isArray(rows)) throw new InvalidArgumentError('rows must be the array cohort() returned', { field: 'rows', value: rows });
  if (!o || !GROUPS.includes(o.timeGroup)) throw new InvalidArgumentError(`timeGroup must be one of ${GROUPS.join(', ')}`, { field: 'timeGroup', value: o?.timeGroup });
  if (typeof o.asPercent !== 'boolean') throw new InvalidArgumentError('asPercent must be a boolean', { field: 'asPercent', value: o.asPercent });
  for (const r of rows)
    if (!r || !(r.date instanceof Date) || typeof r.total !== 'number' || !Array.isArray(r.cells))
      throw new InvalidArgumentError('each row must be { date: Date, total: number, cells: (number | null)[] }', { field: 'rows', value: r });
  return rows.reduce((n, r) => Math.max(n, r.cells.length), 0);
}

const csvValue = (v: number | null | undefined, asPercent: boolean) => (v === null || v === undefined ? '' : asPercent ? pythonPercent(v) : String(v));

/**
 * The cohort table as CSV, as bitmapist exports it: a `Date,Total,0,…,numRows` header, one line per row, empty
 * fields for empty cells, percentages rounded half-even to 2 places in Python float form (`100.0`, `33.33`).
 */
export function renderCohortCsv(rows: readonly CohortRow[], o: CohortCsvOptions): string {
  const width = check(rows, o);
  const lines = [['Date', 'Total', ...Array.from({ length: width }, (_, i) => String(i))].join(',')];
  for (const r of rows)
    lines.push([csvLabel(r.date, o.timeGroup), String(r.total), ...Array.from({ length: width }, (_, i) => csvValue(r.cells[i], o.asPercent))].join(','));
  return `${lines.join('\n')}\n`;
}

/** @internal Escapes text for HTML content and attribute values. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Cell shade alpha: the share of the cohort, rounded to one place as bitmapist's template does. */
export function shadeAlpha(value: number, total: number, asPercent: boolean): string {
  const share = asPercent ? value / 100 : total > 0 ? value / total : 0;
  return formatPythonFloat(pythonRound(Math.min(1, Math.max(0, share)), 1));
}

function display(v: number, asPercent: boolean): string {
  return asPercent ? `${pythonPercent(v)}%` : String(pythonRound(v, 2));
}

function averages(rows: readonly CohortRow[], width: number): { total: number | null; cells: (number | null)[] } {
  const mean = (vs: (number | null | undefined)[]) => {
    const xs = vs.filter((v): v is number => typeof v === 'number');
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  };
  return { total: mean(rows.map((r) => r.total)), cells: Array.from({ length: width }, (_, i) => mean(rows.map((r) => r.cells[i]))) };
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2329; background: #fff; }
h1 { font-size: 18px; margin: 0 0 12px; }
table.cohort { border-collapse: collapse; }
table.cohort th, table.cohort td { border: 1px solid #d5dde3; padding: 6px 10px; text-align: right; min-width: 48px; }
table.cohort thead th { background: #f1f4f6; }
table.cohort thead th:first-child { text-align: left; }
form.cohort { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; margin-bottom: 16px; }
form.cohort label { display: flex; flex-direction: column; font-size: 12px; color: #56626c; }
p.error { color: #b00020; }
table.cohort th[scope=row] { text-align: left; white-space: nowrap; background: #f8fafb; }
table.cohort tfoot th, table.cohort tfoot td { font-weight: 600; background: #f1f4f6; }
a.export { display: inline-block; margin-top: 12px; }
`;

/** @internal The `<table>` and the CSV link of a cohort page. */
export function cohortTableHtml(rows: readonly CohortRow[], o: CohortCsvOptions): string {
  const width = check(rows, o);
  const head = ['<th scope="col">Date</th>', '<th scope="col">Total</th>', ...Array.from({ length: width }, (_, i) => `<th scope="col">${i}</th>`)].join('');
  const body = rows
    .map((r) => {
      const cells = Array.from({ length: width }, (_, i) => {
        const v = r.cells[i];
        if (v === null || v === undefined) return '<td class="empty"></td>';
        const a = shadeAlpha(v, r.total, o.asPercent);
        return `<td class="cell" data-alpha="${a}" style="background-color: hsla(200, 80%, 50%, ${a})">${escapeHtml(display(v, o.asPercent))}</td>`;
      });
      return `<tr><th scope="row">${escapeHtml(htmlLabel(r.date, o.timeGroup))}</th><td class="total">${r.total}</td>${cells.join('')}</tr>`;
    })
    .join('\n');
  const avg = averages(rows, width);
  const foot = [
    '<th scope="row">Average</th>',
    `<td class="total">${avg.total === null ? '' : escapeHtml(String(pythonRound(avg.total, 2)))}</td>`,
    ...avg.cells.map((v) => `<td>${v === null ? '' : escapeHtml(display(v, o.asPercent))}</td>`),
  ].join('');
  const csv = `data:text/csv;charset=utf-8,${encodeURIComponent(renderCohortCsv(rows, o))}`;
  return `<table class="cohort">
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
<tfoot><tr>${foot}</tr></tfoot>
</table>
<a class="export" download="cohort.csv" href="${escapeHtml(csv)}">Export CSV</a>`;
}

/** @internal A complete page around `content` (already escaped HTML). */
export function cohortPage(title: string, content: string): string {
  const t = escapeHtml(title);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${t}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${t}</h1>
${content}
</body>
</html>
`;
}

/**
 * A self-contained HTML page (inline CSS, no scripts or external resources, every text escaped) showing the cohort
 * table: cells shaded `hsla(200, 80%, 50%, alpha)` with alpha the share of the cohort rounded to one place, an
 * averages row, and a link that downloads the CSV export (a `data:` URL).
 */
export function renderCohortHtml(rows: readonly CohortRow[], o: CohortHtmlOptions): string {
  return cohortPage(o?.title ?? 'Cohort analysis', cohortTableHtml(rows, o));
}
