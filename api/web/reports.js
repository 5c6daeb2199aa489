// Reports for ops leads, executives and analysts (GET /v1/reports/*): the
// NPS mix by segment over time, revenue-weighted NPS, the detractor share
// with its flare-ups (the test's z and p), theme counts by segment and the
// accountability scorecard. Charts are SVG drawn here; each has a table of
// the same numbers beside it (a <details> the keyboard and screen readers
// reach), and flare-up marks are focusable with the test in their label.
import { api, query } from '/assets/api.js';
import { h, svg, put } from '/assets/ui.js';
import { session } from '/assets/state.js';

const PERIODS = [['week', 'Week'], ['month', 'Month'], ['quarter', 'Quarter']];
const MIX = [['promoters', 'Promoters', '#2e7d32'], ['passives', 'Passives', '#9e9e9e'], ['detractors', 'Detractors', '#c62828']];
const PALETTE = ['#1565c0', '#ef6c00', '#6a1b9a', '#00838f', '#ad1457', '#558b2f', '#4e342e', '#37474f'];
const W = 640, H = 220, PAD = { l: 40, r: 12, t: 12, b: 34 };

function fmt(v, digits = 1) {
  if (v === null || v === undefined) return '–';
  return Number(v).toFixed(digits).replace(/\.0+$/, '');
}
function pct(v) { return v === null || v === undefined ? '–' : fmt(v) + '%'; }

// A table: head = column titles, rows = arrays of cell values.
function table(caption, head, rows, numeric = () => false) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'report' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((v, i) => i === 0
      ? h('th', { scope: 'row' }, v)
      : h('td', { class: numeric(i) ? 'num' : null }, v)))))));
}

function withTable(figure, caption, head, rows, numeric) {
  return [figure, h('details', { class: 'data' }, h('summary', {}, `Table: ${caption}`),
    table(caption, head, rows, numeric))];
}

function legend(items) {
  return h('ul', { class: 'legend', 'aria-hidden': 'true' },
    items.map(([label, color]) => h('li', {},
      svg('svg', { class: 'swatch', viewBox: '0 0 10 10' }, svg('rect', { width: 10, height: 10, rx: 2, fill: color })), label)));
}

// The frame of a chart over `labels` (x) and [lo, hi] (y): axes, grid and
// tick labels. Returns the <svg> and the scales.
function frame(title, labels, lo, hi, ticks, { w = W, cls = 'chart' } = {}) {
  const iw = w - PAD.l - PAD.r, ih = H - PAD.t - PAD.b;
  const x = (i) => PAD.l + (labels.length <= 1 ? iw / 2 : (i + 0.5) * iw / labels.length);
  const y = (v) => PAD.t + ih - ((v - lo) / (hi - lo)) * ih;
  const root = svg('svg', { viewBox: `0 0 ${w} ${H}`, class: cls, role: 'img', 'aria-label': title });
  root.append(svg('title', {}, title));
  for (const t of ticks) {
    root.append(svg('line', { x1: PAD.l, x2: w - PAD.r, y1: y(t), y2: y(t), class: t === 0 ? 'axis' : 'grid' }),
      svg('text', { x: PAD.l - 4, y: y(t) + 4, class: 'tick', 'text-anchor': 'end' }, String(t)));
  }
  const every = Math.ceil(labels.length / (w < W ? 4 : 8));
  labels.forEach((l, i) => {
    if (i % every === 0) root.append(svg('text', { x: x(i), y: H - PAD.b + 16, class: 'tick', 'text-anchor': 'middle' }, l));
  });
  return { root, x, y, band: iw / Math.max(labels.length, 1) };
}

// 100% stacked bars: the mix of each period (rows: {period, promoters, ...}).
function mixChart(title, rows) {
  const labels = rows.map((r) => r.period);
  const f = frame(title, labels, 0, 100, [0, 50, 100], { w: 300, cls: 'chart small' });
  const bw = Math.max(f.band * 0.7, 2);
  rows.forEach((r, i) => {
    let base = 0;
    for (const [key, name, color] of MIX) {
      const share = r.responses ? (r[key] / r.responses) * 100 : 0;
      if (share > 0) {
        f.root.append(svg('rect', { x: f.x(i) - bw / 2, y: f.y(base + share), width: bw, height: f.y(base) - f.y(base + share), fill: color },
          svg('title', {}, `${r.period}: ${name.toLowerCase()} ${r[key]} of ${r.responses} (${fmt(share)}%)`)));
      }
      base += share;
    }
    if (!r.responses) f.root.append(svg('text', { x: f.x(i), y: f.y(50), class: 'tick', 'text-anchor': 'middle' }, '·'));
  });
  return f.root;
}

// Lines: series = [{name, color, values: [number|null], marks: [bool], notes: [text]}].
function lineChart(title, labels, series, lo, hi, ticks) {
  const f = frame(title, labels, lo, hi, ticks);
  for (const s of series) {
    let d = '';
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) { d += ' '; return; }
      d += (d.endsWith(' ') || d === '' ? 'M' : 'L') + `${f.x(i).toFixed(1)},${f.y(v).toFixed(1)}`;
    });
    const path = d.trim().split(' ').filter(Boolean).join(' ');
    if (path) f.root.append(svg('path', { d: path, fill: 'none', stroke: s.color, 'stroke-width': 2, ...(s.dash ? { 'stroke-dasharray': '5 4' } : {}) }));
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      const note = `${s.name}, ${labels[i]}: ${fmt(v)}${s.unit || ''}${s.notes ? '; ' + s.notes[i] : ''}`;
      if (s.marks && s.marks[i]) {
        f.root.append(svg('circle', { cx: f.x(i), cy: f.y(v), r: 7, class: 'flare', tabindex: 0, role: 'img', 'aria-label': 'Flare-up: ' + note },
          svg('title', {}, 'Flare-up: ' + note)));
      } else {
        f.root.append(svg('circle', { cx: f.x(i), cy: f.y(v), r: 3, fill: s.color }, svg('title', {}, note)));
      }
    });
  }
  return f.root;
}

function section(id, title, note, ...body) {
  return h('section', { class: 'card report-section', id, 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, title), note ? h('p', { class: 'muted' }, note) : null, body);
}

function segmentColors() {
  return new Map(session.company.segments.map((s, i) => [s, PALETTE[i % PALETTE.length]]));
}

function npsSection(bySegment, total) {
  const segments = session.company.segments;
  const periods = total.rows.map((r) => r.period);
  const blocks = segments.map((seg) => {
    const rows = bySegment.rows.filter((r) => r.segment === seg);
    const title = `NPS mix, ${seg}, by ${total.period}`;
    return h('div', { class: 'chart-block', dataset: { segment: seg } },
      h('h3', {}, seg),
      withTable(mixChart(title, rows), title,
        ['Period', 'Responses', 'Promoters', 'Passives', 'Detractors', 'NPS'],
        rows.map((r) => [r.period, r.responses, `${r.promoters} (${pct(r.promoter_pct)})`, `${r.passives} (${pct(r.passive_pct)})`,
          `${r.detractors} (${pct(r.detractor_pct)})`, fmt(r.nps)]), (i) => i > 0));
  });
  const title = `NPS and revenue-weighted NPS, all segments, by ${total.period}`;
  const lines = lineChart(title, periods, [
    { name: 'NPS', color: '#1565c0', values: total.rows.map((r) => r.nps) },
    { name: 'Revenue-weighted NPS', color: '#ef6c00', dash: true, values: total.rows.map((r) => r.weighted_nps) },
  ], -100, 100, [-100, -50, 0, 50, 100]);
  const t = total.total;
  return section('nps', 'NPS', `${total.from} to ${total.to} (${total.zone}): ${t.responses} responses, NPS ${fmt(t.nps)}, ` +
    `revenue-weighted NPS ${fmt(t.weighted_nps)} (each answer weighted by the customer's ARR).`,
  h('div', { class: 'chart-block' }, h('h3', {}, 'All segments'),
    legend([['NPS', '#1565c0'], ['Revenue-weighted NPS (dashed)', '#ef6c00']]),
    withTable(lines, title, ['Period', 'Responses', 'NPS', 'Weighted NPS', 'ARR'],
      total.rows.map((r) => [r.period, r.responses, fmt(r.nps), fmt(r.weighted_nps), fmt(r.arr, 0)]), (i) => i > 0)),
  legend(MIX.map(([, name, color]) => [name, color])),
  h('div', { class: 'chart-grid' }, blocks));
}

function detractorSection(rep) {
  const colors = segmentColors();
  const periods = [...new Set(rep.rows.map((r) => r.period))];
  const segments = [...new Set(rep.rows.map((r) => r.segment))];
  const cell = (seg, p) => rep.rows.find((r) => r.segment === seg && r.period === p);
  const series = segments.map((seg) => {
    const rows = periods.map((p) => cell(seg, p));
    return {
      name: seg, color: colors.get(seg) || '#37474f', unit: '%',
      values: rows.map((r) => (r ? r.share_pct : null)),
      marks: rows.map((r) => !!(r && r.flare_up)),
      notes: rows.map((r) => (r ? `${r.detractors} of ${r.responses}; baseline ${pct(r.baseline_share_pct)}; z ${fmt(r.z, 2)}, p ${fmt(r.p_value, 4)}` : '')),
    };
  });
  const max = Math.max(10, ...rep.rows.map((r) => r.share_pct || 0));
  const hi = Math.ceil(max / 10) * 10;
  const title = `Detractor share by segment, by ${rep.period}`;
  const chart = lineChart(title, periods, series, 0, hi, [0, hi / 2, hi].map((v) => Math.round(v)));
  const flagged = rep.rows.filter((r) => r.flare_up);
  const test = rep.test;
  return section('detractors', 'Detractor share and flare-ups',
    `A flare-up (circled) is a period whose detractor share is significantly above the segment's previous ${test.baseline_periods} ` +
    `periods (${test.name}, alpha ${test.alpha}, at least ${test.min_period_responses} responses). Hover or focus a circle for z and p.`,
    legend(segments.map((s) => [s, colors.get(s) || '#37474f'])),
    withTable(chart, title, ['Period', 'Segment', 'Detractors', 'Share', 'Baseline share', 'z', 'p', 'Flare-up'],
      rep.rows.map((r) => [r.period, r.segment, `${r.detractors} of ${r.responses}`, pct(r.share_pct), pct(r.baseline_share_pct),
        fmt(r.z, 2), fmt(r.p_value, 4), r.flare_up ? 'yes' : (r.enough_sample ? 'no' : 'too few')]), (i) => i > 1 && i < 7),
    h('h3', {}, `Flare-ups: ${flagged.length}`),
    flagged.length
      ? table('Flare-ups', ['Period', 'Segment', 'Share', 'Baseline', 'z', 'p'],
        flagged.map((r) => [r.period, r.segment, pct(r.share_pct), pct(r.baseline_share_pct), fmt(r.z, 2), fmt(r.p_value, 4)]), (i) => i > 1)
      : h('p', { class: 'muted' }, 'No flare-up in this range.'));
}

function themeSection(rep) {
  const colors = segmentColors();
  const segments = [...new Set(rep.rows.map((r) => r.segment))];
  const themes = [...new Set(rep.rows.map((r) => r.theme))];
  const count = (seg, th) => { const r = rep.rows.find((x) => x.segment === seg && x.theme === th); return r ? r.cases : 0; };
  const totals = themes.map((th) => segments.reduce((a, s) => a + count(s, th), 0));
  const order = themes.map((th, i) => [th, totals[i]]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const max = Math.max(1, ...totals);
  const rowH = 22, lw = 150, cw = W - lw - 50;
  const title = `Cases by theme and segment, ${rep.from} to ${rep.to}`;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${Math.max(order.length, 1) * rowH + 8}`, class: 'chart', role: 'img', 'aria-label': title },
    svg('title', {}, title));
  order.forEach(([th, tot], i) => {
    const y = 4 + i * rowH;
    chart.append(svg('text', { x: lw - 6, y: y + 15, class: 'tick', 'text-anchor': 'end' }, th));
    let x = lw;
    for (const s of segments) {
      const n = count(s, th);
      if (!n) continue;
      const w = (n / max) * cw;
      chart.append(svg('rect', { x, y: y + 3, width: w, height: rowH - 6, fill: colors.get(s) || '#37474f' },
        svg('title', {}, `${th}, ${s}: ${n} cases`)));
      x += w;
    }
    chart.append(svg('text', { x: x + 4, y: y + 15, class: 'tick' }, String(tot)));
  });
  return section('themes', 'Themes by segment',
    `Cases opened ${rep.from} to ${rep.to} by the reason themes recorded on them.`,
    legend(segments.map((s) => [s, colors.get(s) || '#37474f'])),
    order.length
      ? withTable(chart, title, ['Theme', ...segments, 'All', 'Before'],
        order.map(([th, tot]) => [th, ...segments.map((s) => count(s, th)), tot,
          rep.rows.filter((r) => r.theme === th).reduce((a, r) => a + r.previous_cases, 0)]), (i) => i > 0)
      : h('p', { class: 'muted' }, 'No themes recorded in this range.'));
}

function scorecardSection(rep) {
  const owners = rep.rows.filter((r) => r.group === 'owner');
  const keys = [...new Set(owners.map((r) => r.key))];
  const steps = rep.steps;
  const rate = (r) => (r && r.on_time_rate !== null ? fmt(r.on_time_rate * 100, 0) + '%' : '–');
  const cell = (key, step) => owners.find((r) => r.key === key && r.step === step);
  const body = keys.map((k) => {
    const all = cell(k, 'all');
    return h('tr', {},
      h('th', { scope: 'row' }, k || '(no owner)'),
      steps.map((s) => {
        const c = cell(k, s);
        const r = c && c.on_time_rate;
        return h('td', { class: 'num rate' + (r === null || r === undefined ? '' : r >= 0.9 ? ' good' : r >= 0.7 ? ' fair' : ' poor'),
          title: c ? `${c.met} met, ${c.missed} missed, ${c.pending} pending` : null }, rate(c));
      }),
      h('td', { class: 'num' }, rate(all)), h('td', { class: 'num' }, all ? `${all.met} / ${all.met + all.missed}` : '–'));
  });
  const o = rep.overall;
  return section('scorecard', 'Accountability scorecard',
    `On-time rate per owner and step (deadlines met / met + missed), ${rep.from} to ${rep.to}. Overall ${rate(o)} ` +
    `(${o.met} met, ${o.missed} missed, ${o.pending} pending).`,
    keys.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'report scorecard' },
        h('caption', {}, 'On-time rate by owner and step'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Owner'), steps.map((s) => h('th', { scope: 'col' }, s)),
          h('th', { scope: 'col' }, 'All steps'), h('th', { scope: 'col' }, 'Met / due'))),
        h('tbody', {}, body)))
      : h('p', { class: 'muted' }, 'No deadlines fell due in this range.'));
}

export async function reportsView(root, params) {
  const period = PERIODS.some(([p]) => p === params.get('period')) ? params.get('period') : 'month';
  const select = h('select', { id: 'period', name: 'period' },
    PERIODS.map(([v, text]) => h('option', { value: v, selected: v === period }, text)));
  select.addEventListener('change', () => { location.hash = '#/reports' + query({ period: select.value }); });
  put(root, h('h1', {}, 'Reports'),
    h('form', { class: 'filters', id: 'report-filters', onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: 'period' }, 'Period'), select)));
  const total = await api('GET', '/v1/reports/nps' + query({ period }));
  const range = { from: total.from, to: total.to };
  const [bySegment, detractors, themes, scorecard] = await Promise.all([
    api('GET', '/v1/reports/nps' + query({ period, by: 'segment' })),
    api('GET', '/v1/reports/detractors' + query({ period, ...range })),
    api('GET', '/v1/reports/themes' + query(range)),
    api('GET', '/v1/reports/scorecard' + query(range)),
  ]);
  put(root,
    h('p', { class: 'muted' }, `The last 12 ${period}s, ${total.from} to ${total.to} (${total.zone}); the current ${period} so far.`),
    h('nav', { class: 'toc', 'aria-label': 'Reports on this page' },
      [['#nps', 'NPS'], ['#detractors', 'Detractors'], ['#themes', 'Themes'], ['#scorecard', 'Scorecard']].map(([id, t]) =>
        h('a', { href: id, onclick: (e) => {
          e.preventDefault();
          const target = document.querySelector(id + '-h');
          target.tabIndex = -1;
          target.focus();
        } }, t))),
    npsSection(bySegment, total), detractorSection(detractors), themeSection(themes), scorecardSection(scorecard));
  root.dataset.charts = String(root.querySelectorAll('svg.chart').length);
}
