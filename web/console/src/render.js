// Renders the sections of the situation picture. Every value from the server goes into the DOM
// as text (textContent / text nodes), never as markup.

import { alertXmlUrl } from './api.js';
import { byId, h, renderIfChanged, setText } from './dom.js';
import {
  countView, escalationLabel, formatAge, formatClock, formatDateTime, formatNumber, formatShortClock, jurisdictionCode,
  jurisdictionName, kindLabel, parseTime, priorityIsHigh, priorityLabel, serviceTypeLabel,
  sumCountsView, toNumber, zoneLabel,
} from './format.js';

const EMPTY_COUNT = { value: 0, suppressed: false };

function countCell(count, threshold, extraClass) {
  const v = countView(count, threshold);
  return h('td', {
    class: ['num', v.suppressed ? 'suppressed' : '', !v.suppressed && v.value === 0 ? 'zero' : '', extraClass || ''].join(' ').trim(),
    title: v.suppressed ? `Fewer than ${threshold} (suppressed)` : null,
  }, v.text);
}

function plainNumCell(n, alertWhenPositive) {
  const value = toNumber(n);
  return h('td', { class: ['num', value === 0 ? 'zero' : '', alertWhenPositive && value > 0 ? 'hot' : ''].join(' ').trim() }, formatNumber(value));
}

function jurisdictionText(code) {
  const name = jurisdictionName(code);
  return code ? `${code} ${name}`.trim() : name;
}

// ---- header -------------------------------------------------------------------------------------

export function renderHeader(s) {
  setText(byId('hub-name'), s.hub || '');
  const asOf = parseTime(s.asOf);
  const asOfEl = byId('as-of');
  setText(asOfEl, asOf ? `${formatClock(asOf)} ${zoneLabel(asOf)}` : '—');
  asOfEl.title = asOf ? asOf.toISOString() : '';
  setText(byId('revision'), s.revision ?? '—');
  const t = s.suppressionThreshold || 0;
  setText(byId('suppression-note'), t > 1
    ? `Counts from 1 to ${t - 1} are suppressed and shown as “<${t}” so that no one can be singled out.`
    : '');
}

// ---- totals strip -------------------------------------------------------------------------------

export function renderTotals(s) {
  const t = s.suppressionThreshold;
  const c = s.cases || {};
  // The lists hold the oldest items only (the server caps them); the totals count them all.
  const overdue = Number(s.overdueTotal ?? (s.overdue || []).length);
  const escalations = Number(s.escalationsTotal ?? (s.escalations || []).length);
  const tiles = [
    { label: 'Cases', count: c.total, testid: 'total-cases', strong: true },
    { label: 'Awaiting screening', count: c.awaitingScreening },
    { label: 'No indicators observed (yet)', count: c.noIndicatorsObserved },
    { label: 'Indications present', count: c.indicationsPresent },
    { label: 'Combination met', count: c.combinationMet },
    { label: 'Children', count: c.children },
    { label: 'Unaccompanied / separated', count: c.unaccompaniedOrSeparated },
    { label: 'Urgent medical', count: c.urgentMedical, warn: true },
    { label: 'Immediate danger', count: c.immediateDanger, alarm: true },
    { label: 'Handoffs in flight', count: s.handoffsInFlight },
    { label: 'Overdue referrals', number: overdue, testid: 'total-overdue', alarm: true },
    { label: 'Open escalations', number: escalations, testid: 'total-escalations', alarm: true },
  ];
  renderIfChanged(byId('totals'), 'totals', { tiles, t }, () => tiles.map((tile) => {
    let text;
    let suppressed = false;
    let value;
    if (tile.number !== undefined) {
      value = tile.number;
      text = formatNumber(value);
    } else {
      const v = countView(tile.count || EMPTY_COUNT, t);
      value = v.value;
      suppressed = v.suppressed;
      text = v.text;
    }
    const active = suppressed || value > 0;
    const cls = ['tile',
      tile.strong ? 'tile-strong' : '',
      tile.alarm && active ? 'tile-alarm' : '',
      tile.warn && active ? 'tile-warn' : ''].join(' ').trim();
    return h('li', { class: cls },
      h('span', { class: 'tile-value' + (suppressed ? ' suppressed' : ''), dataset: { testid: tile.testid }, title: suppressed ? `Fewer than ${t} (suppressed)` : null }, text),
      h('span', { class: 'tile-label' }, tile.label));
  }));
}

// ---- needs action -------------------------------------------------------------------------------

const ACTION_COLUMNS = ['Kind', 'Reference', 'Service type', 'Provider', 'Jurisdiction', 'Site', 'Priority', 'Escalation', 'Age'];

function actionRow(item, rowTestId, receivedAt) {
  const ageBase = toNumber(item.ageSeconds);
  const since = parseTime(item.since);
  const highPriority = priorityIsHigh(item.priority);
  return h('tr', { dataset: { testid: rowTestId } },
    h('td', { class: 'kind' }, kindLabel(item.kind)),
    h('th', { scope: 'row', class: 'ref' }, item.referenceCode || '—'),
    h('td', null, serviceTypeLabel(item.serviceType)),
    h('td', { class: 'provider' }, item.provider || '—'),
    h('td', { class: 'code', title: item.jurisdiction ? jurisdictionName(item.jurisdiction) || null : null }, jurisdictionCode(item.jurisdiction)),
    h('td', { class: 'site' }, item.siteId || '—'),
    h('td', { class: highPriority ? 'prio prio-high' : 'prio' }, priorityLabel(item.priority)),
    h('td', null, escalationLabel(item.escalationLevel, item.escalationReason)),
    h('td', {
      class: 'num age',
      dataset: { ageBase: String(ageBase), ageAt: String(receivedAt) },
      title: since ? `since ${formatDateTime(since)}` : null,
    }, formatAge(ageBase)));
}

function actionTable(items, { testid, rowTestId, caption, empty, receivedAt }) {
  if (!items.length) {
    return h('p', { class: 'empty', dataset: { testid: `${testid}-empty` } }, empty);
  }
  const sorted = items.slice().sort((a, b) => toNumber(b.ageSeconds) - toNumber(a.ageSeconds));
  return h('table', { class: 'grid grid-action', dataset: { testid } },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', null, h('tr', null, ACTION_COLUMNS.map((c) => h('th', { scope: 'col', class: c === 'Age' ? 'num' : null }, c)))),
    h('tbody', null, sorted.map((item) => actionRow(item, rowTestId, receivedAt))));
}

export function renderNeedsAction(s, receivedAt) {
  const overdue = s.overdue || [];
  const escalations = s.escalations || [];
  setText(byId('overdue-badge'), formatNumber(Number(s.overdueTotal ?? overdue.length)));
  setText(byId('escalations-badge'), formatNumber(Number(s.escalationsTotal ?? escalations.length)));
  byId('overdue-badge').classList.toggle('badge-hot', overdue.length > 0);
  byId('escalations-badge').classList.toggle('badge-hot', escalations.length > 0);
  // The age cells tick locally; a re-render is needed only when the items change.
  renderIfChanged(byId('overdue-wrap'), 'overdue', { overdue, asOf: s.asOf }, () => actionTable(overdue, {
    testid: 'overdue-table', rowTestId: 'overdue-row', caption: 'Overdue referrals, oldest first',
    empty: 'No referral is past its deadline.', receivedAt,
  }));
  renderIfChanged(byId('escalations-wrap'), 'escalations', { escalations, asOf: s.asOf }, () => actionTable(escalations, {
    testid: 'escalations-table', rowTestId: 'escalation-row', caption: 'Open escalations, oldest first',
    empty: 'No open escalation.', receivedAt,
  }));
}

/** Advances the age cells by the time since their picture arrived. */
export function tickAges(now) {
  for (const cell of document.querySelectorAll('td[data-age-base]')) {
    const base = Number(cell.dataset.ageBase) || 0;
    const at = Number(cell.dataset.ageAt) || now;
    setText(cell, formatAge(base + Math.max(0, (now - at) / 1000)));
  }
}

// ---- overview -----------------------------------------------------------------------------------

const OVERVIEW_COLUMNS = [
  ['Cases', 'Cases'],
  ['Indications', 'Indications present'],
  ['Comb. met', 'Combination met'],
  ['Children', 'Children'],
  ['Unacc./sep.', 'Unaccompanied or separated children'],
  ['Urgent medical', 'Urgent medical'],
  ['Awaiting ack.', 'Referrals awaiting acknowledgement by the provider'],
  ['Overdue', 'Referrals past a deadline'],
  ['Open esc.', 'Open escalations'],
];

function areaCells(area, t) {
  const c = area.cases || {};
  const awaiting = sumCountsView((area.referrals || []).map((r) => r.awaitingAcknowledgement), t);
  return [
    countCell(c.total, t, 'strong'),
    countCell(c.indicationsPresent, t),
    countCell(c.combinationMet, t),
    countCell(c.children, t),
    countCell(c.unaccompaniedOrSeparated, t),
    countCell(c.urgentMedical, t),
    h('td', {
      class: ['num', awaiting.suppressed ? 'suppressed' : '', !awaiting.suppressed && awaiting.value === 0 ? 'zero' : ''].join(' ').trim(),
      title: awaiting.partial ? `At least ${awaiting.value}; some service types are suppressed (fewer than ${t} each)` : (awaiting.suppressed ? `Fewer than ${t} (suppressed)` : null),
    }, awaiting.text),
    plainNumCell(area.overdue, true),
    plainNumCell(area.openEscalations, true),
  ];
}

function codeOrder(a, b) {
  const ka = a || '\uffff';
  const kb = b || '\uffff';
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function usesKosovo(s) {
  const codes = [
    ...(s.jurisdictions || []).map((a) => a.jurisdiction),
    ...(s.sites || []).map((a) => a.jurisdiction),
    ...(s.overdue || []).map((a) => a.jurisdiction),
    ...(s.escalations || []).map((a) => a.jurisdiction),
    ...(s.capacity || []).flatMap((p) => p.jurisdictions || []),
  ];
  return codes.includes('XK');
}

export function renderOverview(s) {
  const t = s.suppressionThreshold;
  const jurisdictions = s.jurisdictions || [];
  const sites = s.sites || [];
  byId('kosovo-note').hidden = !usesKosovo(s);
  renderIfChanged(byId('overview-wrap'), 'overview', { jurisdictions, sites, t }, () => {
    const byCode = new Map();
    for (const area of jurisdictions) byCode.set(area.jurisdiction || '', { area, sites: [] });
    for (const site of sites) {
      const code = site.jurisdiction || '';
      if (!byCode.has(code)) byCode.set(code, { area: null, sites: [] });
      byCode.get(code).sites.push(site);
    }
    if (!byCode.size) return h('p', { class: 'empty' }, 'No cases registered yet.');
    const rows = [];
    for (const code of [...byCode.keys()].sort(codeOrder)) {
      const { area, sites: areaSites } = byCode.get(code);
      rows.push(h('tr', { class: 'area-row', dataset: { testid: `area-row-${code || 'unknown'}` } },
        h('th', { scope: 'row', class: 'area-name' },
          h('span', { class: 'code-badge' }, code || '—'), ' ', jurisdictionName(code)),
        area ? areaCells(area, t) : OVERVIEW_COLUMNS.map(() => h('td', { class: 'num zero' }, '—'))));
      areaSites.sort((a, b) => codeOrder(a.siteId, b.siteId));
      for (const site of areaSites) {
        rows.push(h('tr', { class: 'site-row', dataset: { testid: `site-row-${site.siteId}` } },
          h('th', { scope: 'row', class: 'site-name' }, h('span', { class: 'visually-hidden' }, `${jurisdictionText(code)}, site `), site.siteId || '—'),
          areaCells(site, t)));
      }
    }
    return h('table', { class: 'grid grid-overview', dataset: { testid: 'overview-table' } },
      h('caption', { class: 'visually-hidden' }, 'Figures per jurisdiction, with its sites below it'),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'Jurisdiction / site'),
        OVERVIEW_COLUMNS.map(([short, long]) => h('th', { scope: 'col', class: 'num', title: long }, short === long ? short : h('abbr', { title: long }, short))))),
      h('tbody', null, rows));
  });

  const emergencies = s.emergencies || [];
  renderIfChanged(byId('emergencies-wrap'), 'emergencies', { emergencies, t }, () => {
    if (!emergencies.length) return [];
    return [
      h('h3', { class: 'table-title' }, 'Emergencies'),
      h('table', { class: 'grid grid-overview', dataset: { testid: 'emergencies-table' } },
        h('caption', { class: 'visually-hidden' }, 'Figures per emergency'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'Emergency'),
          OVERVIEW_COLUMNS.map(([short, long]) => h('th', { scope: 'col', class: 'num', title: long }, short === long ? short : h('abbr', { title: long }, short))))),
        h('tbody', null, emergencies.map((e) => h('tr', { dataset: { testid: `emergency-row-${e.emergencyId}` } },
          h('th', { scope: 'row' }, e.emergencyId || '—', e.jurisdiction ? h('span', { class: 'muted' }, ` · ${e.jurisdiction}`) : null),
          areaCells(e, t))))),
    ];
  });
}

// ---- capacity -----------------------------------------------------------------------------------

function capacityLevel(p) {
  const max = toNumber(p.maximum);
  const available = toNumber(p.available);
  if (max <= 0) return available > 0 ? 'ok' : 'unknown';
  if (available <= 0) return 'full';
  if (available / max < 0.2) return 'low';
  return 'ok';
}

const LEVEL_ORDER = { full: 0, low: 1, ok: 2, unknown: 3 };

function trend(change) {
  const n = toNumber(change);
  if (n < 0) return h('span', { class: 'trend trend-down', title: `${-n} fewer free than an hour ago` }, `▼ ${formatNumber(-n)} in the last hour`);
  if (n > 0) return h('span', { class: 'trend trend-up', title: `${n} more free than an hour ago` }, `▲ ${formatNumber(n)} in the last hour`);
  return h('span', { class: 'trend trend-flat' }, '= no change in the last hour');
}

function sparkline(points, max) {
  const values = (points || []).map((p) => toNumber(p.available));
  if (values.length < 2) return null;
  const ns = 'http://www.w3.org/2000/svg';
  const W = 64;
  const H = 16;
  const top = Math.max(max, ...values, 1);
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('width', String(W));
  svg.setAttribute('height', String(H));
  svg.setAttribute('class', 'spark');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', values.map((v, i) => `${((i / (values.length - 1)) * (W - 2) + 1).toFixed(1)},${(H - 1 - (v / top) * (H - 2)).toFixed(1)}`).join(' '));
  svg.appendChild(line);
  return svg;
}

export function renderCapacity(s) {
  const providers = (s.capacity || []).slice();
  renderIfChanged(byId('capacity'), 'capacity', providers, () => {
    if (!providers.length) return h('li', { class: 'empty' }, 'No provider reports capacity.');
    providers.sort((a, b) => (LEVEL_ORDER[capacityLevel(a)] - LEVEL_ORDER[capacityLevel(b)])
      || (toNumber(a.available) / Math.max(1, toNumber(a.maximum))) - (toNumber(b.available) / Math.max(1, toNumber(b.maximum)))
      || String(a.serviceName).localeCompare(String(b.serviceName)));
    return providers.map((p) => {
      const max = toNumber(p.maximum);
      const available = toNumber(p.available);
      const used = Math.max(0, max - available);
      const share = max > 0 ? Math.min(1, used / max) : 0;
      const level = capacityLevel(p);
      const unit = p.unit || 'places';
      const fill = h('span', { class: 'cap-fill' });
      fill.style.width = `${(share * 100).toFixed(1)}%`;
      const updated = parseTime(p.updatedAt);
      const sites = p.siteIds || [];
      const where = (p.jurisdictions || []).join(', ');
      const detail = [serviceTypeLabel(p.serviceType), where, sites.length ? `Sites: ${sites.join(', ')}` : ''].filter(Boolean).join(' · ');
      return h('li', { class: `cap cap-${level}`, dataset: { testid: `capacity-${p.serviceId}` } },
        h('div', { class: 'cap-head' },
          h('div', { class: 'cap-id' },
            h('span', { class: 'cap-name', title: p.serviceName || p.serviceId }, p.serviceName || p.serviceId || '—'),
            h('span', { class: 'cap-type', title: detail }, detail)),
          h('span', { class: 'cap-figure' },
            level === 'full' ? h('span', { class: 'cap-flag' }, 'FULL') : null,
            h('strong', null, formatNumber(available)), ` / ${formatNumber(max)} ${unit} free`)),
        h('div', {
          class: 'cap-bar', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': String(max), 'aria-valuenow': String(used),
          'aria-label': `${p.serviceName || p.serviceId}: ${used} of ${max} ${unit} in use`,
        }, fill),
        h('div', { class: 'cap-meta' },
          trend(p.changeLastHour),
          sparkline(p.recent, max),
          updated ? h('span', { class: 'cap-updated', title: `updated ${updated.toISOString()}` }, `updated ${Date.now() - updated.getTime() < 20 * 3600 * 1000 ? formatShortClock(updated) : formatDateTime(updated)}`) : null));
    });
  });
}

// ---- alerts -------------------------------------------------------------------------------------

const SEVERITY_ORDER = { Extreme: 0, Severe: 1, Moderate: 2, Minor: 3 };

export function renderAlerts(s) {
  const alerts = (s.alerts || []).slice();
  setText(byId('alerts-badge'), formatNumber(alerts.length));
  byId('alerts-badge').classList.toggle('badge-hot', alerts.length > 0);
  // The CAP XML is not needed to draw the list: leave it out of the change check.
  const key = alerts.map(({ capXml, ...rest }) => rest); // eslint-disable-line no-unused-vars
  renderIfChanged(byId('alerts-wrap'), 'alerts', key, () => {
    if (!alerts.length) return h('p', { class: 'empty', dataset: { testid: 'alerts-empty' } }, 'No active alert.');
    alerts.sort((a, b) => ((SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9))
      || String(b.sent).localeCompare(String(a.sent)));
    return h('table', { class: 'grid grid-alerts', dataset: { testid: 'alerts-table' } },
      h('caption', { class: 'visually-hidden' }, 'Active CAP alerts'),
      h('thead', null, h('tr', null,
        ['Severity', 'Headline', 'Area', 'Sent', 'Type', 'CAP'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, alerts.map((a) => {
        const sent = parseTime(a.sent);
        return h('tr', { dataset: { testid: 'alert-row' } },
          h('td', null, h('span', { class: `sev sev-${String(a.severity || 'unknown').toLowerCase()}` }, a.severity || '—')),
          h('th', { scope: 'row', class: 'headline' }, a.headline || a.event || a.condition || '—'),
          h('td', null, a.areaDesc || '—'),
          h('td', { class: 'nowrap', title: sent ? sent.toISOString() : null }, sent ? formatDateTime(sent) : '—'),
          h('td', null, a.msgType || '—'),
          h('td', null, a.identifier
            ? h('a', { href: alertXmlUrl(a.identifier), target: '_blank', rel: 'noopener noreferrer', 'aria-label': `CAP XML of ${a.headline || a.identifier}` }, 'XML')
            : '—'));
      })));
  });
}
