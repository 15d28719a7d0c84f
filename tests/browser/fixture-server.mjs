#!/usr/bin/env node
// A stand-in for pact-situation's HTTP side, for developing and testing the EOC console without
// the C++ services: serves the built console and a fake API with synthetic figures (no personal
// data; nothing here describes a real person).
//
//   node tests/browser/fixture-server.mjs <built console dir> [port]
//
// Prints "fixture listening on http://127.0.0.1:<port>/" once it listens (port 0: any free one).
// Sign-in token: "test-token". Test hooks (no session needed):
//   POST /_fixture/add-case[?exercise=true]   one more case (arrival) in RS / rs-presevo-rc
//   POST /_fixture/escalate[?exercise=true]   one more open escalation
//   POST /_fixture/drop-streams               ends every open event stream (they reconnect)
//   GET  /_fixture/state                      {"real": {revision, total}, "exercise": {...}}
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const root = path.resolve(process.argv[2] || 'dist');
const port = Number(process.argv[3] || process.env.PORT || 0);
const TOKEN = 'test-token';
const COOKIE = 'pact_console_session';
const THRESHOLD = 5;
const BUCKET_SECONDS = 900;
const BUCKETS = 24;

const sessions = new Set();

// ---- synthetic pictures -------------------------------------------------------------------------

function count(n) {
  return n > 0 && n < THRESHOLD ? { value: 0, suppressed: true } : { value: n, suppressed: false };
}

function caseFigures(f) {
  return {
    total: count(f.total),
    awaitingScreening: count(f.awaiting),
    noIndicatorsObserved: count(f.none),
    indicationsPresent: count(f.indications),
    combinationMet: count(f.combination),
    children: count(f.children),
    unaccompaniedOrSeparated: count(f.unaccompanied),
    urgentMedical: count(f.medical),
    immediateDanger: count(f.danger),
  };
}

function figures(total, scale = 1) {
  const r = (x) => Math.round(x * scale);
  return {
    total,
    awaiting: r(total * 0.18),
    none: r(total * 0.6),
    indications: r(total * 0.15),
    combination: r(total * 0.07),
    children: r(total * 0.22),
    unaccompanied: r(total * 0.045),
    medical: r(total * 0.06),
    danger: r(total * 0.015),
  };
}

function referralFigures(serviceType, ack, acc, prog, done, rej, failed) {
  return {
    serviceType,
    awaitingAcknowledgement: count(ack),
    awaitingAcceptance: count(acc),
    inProgress: count(prog),
    completed: count(done),
    rejected: count(rej),
    failedOrCancelled: count(failed),
  };
}

function area({ jurisdiction = '', siteId = '', emergencyId = '', cases, referrals = [], overdue = 0, openEscalations = 0 }) {
  return { jurisdiction, siteId, emergencyId, cases, referrals, overdue, openEscalations };
}

function minutesAgo(m) {
  return new Date(Date.now() - m * 60000);
}

function makePicture(exercise) {
  const k = exercise ? 0.25 : 1;
  const p = {
    exercise,
    revision: exercise ? 17 : 4211,
    hub: exercise ? 'rs-belgrade (exercise)' : 'rs-belgrade',
    total: Math.round(211 * k),
    areas: {
      RS: { total: Math.round(148 * k), overdue: 3, esc: 0 },
      MK: { total: Math.round(63 * k), overdue: 1, esc: 0 },
    },
    sites: {
      'rs-presevo-rc': { jurisdiction: 'RS', total: Math.round(91 * k), overdue: 2, esc: 0 },
      'rs-obrenovac-ac': { jurisdiction: 'RS', total: Math.round(57 * k), overdue: 1, esc: 0 },
      'mk-tabanovce-tc': { jurisdiction: 'MK', total: Math.round(41 * k), overdue: 1, esc: 0 },
      'mk-vinojug-tc': { jurisdiction: 'MK', total: Math.round(22 * k), overdue: 0, esc: 0 },
    },
    overdue: [
      { kind: 'KIND_ACKNOWLEDGEMENT_OVERDUE', referenceCode: 'RS-7KQ2-9XPD', serviceType: 'SERVICE_TYPE_SAFE_ACCOMMODATION', provider: 'Safe House Network Serbia', jurisdiction: 'RS', siteId: 'rs-presevo-rc', priority: 'REFERRAL_PRIORITY_URGENT', since: minutesAgo(125) },
      { kind: 'KIND_ACCEPTANCE_OVERDUE', referenceCode: 'RS-3MFA-2HTC', serviceType: 'SERVICE_TYPE_CHILD_PROTECTION', provider: 'Centre for Social Work Preševo', jurisdiction: 'RS', siteId: 'rs-presevo-rc', priority: 'REFERRAL_PRIORITY_ASAP', since: minutesAgo(72) },
      { kind: 'KIND_ACKNOWLEDGEMENT_OVERDUE', referenceCode: 'MK-9PLW-4RZE', serviceType: 'SERVICE_TYPE_PSYCHOSOCIAL_SUPPORT', provider: 'La Strada Skopje', jurisdiction: 'MK', siteId: 'mk-tabanovce-tc', priority: 'REFERRAL_PRIORITY_ROUTINE', since: minutesAgo(23) },
      { kind: 'KIND_ACKNOWLEDGEMENT_OVERDUE', referenceCode: 'RS-5DNJ-8KWB', serviceType: 'SERVICE_TYPE_INTERPRETATION', provider: 'svc-rs-interpret-2', jurisdiction: 'RS', siteId: 'rs-obrenovac-ac', priority: 'REFERRAL_PRIORITY_ROUTINE', since: minutesAgo(4) },
    ],
    escalations: [],
    capacity: [
      { serviceId: 'svc-rs-shelter-1', serviceName: 'Safe House Network Serbia', organizationId: 'org-rs-shn', serviceType: 'SERVICE_TYPE_SAFE_ACCOMMODATION', jurisdictions: ['RS'], siteIds: [], available: 0, maximum: 12, unit: 'beds', changeLastHour: -3 },
      { serviceId: 'svc-rs-cp-presevo', serviceName: 'Centre for Social Work Preševo', organizationId: 'org-rs-csw', serviceType: 'SERVICE_TYPE_CHILD_PROTECTION', jurisdictions: ['RS'], siteIds: ['rs-presevo-rc'], available: 2, maximum: 15, unit: 'places', changeLastHour: -5 },
      { serviceId: 'svc-mk-health-kumanovo', serviceName: 'Kumanovo General Hospital', organizationId: 'org-mk-moh', serviceType: 'SERVICE_TYPE_HEALTH_CARE', jurisdictions: ['MK'], siteIds: ['mk-tabanovce-tc'], available: 14, maximum: 40, unit: 'appointments', changeLastHour: 2 },
      { serviceId: 'svc-mk-pss-lastrada', serviceName: 'La Strada Skopje', organizationId: 'org-mk-lastrada', serviceType: 'SERVICE_TYPE_PSYCHOSOCIAL_SUPPORT', jurisdictions: ['MK'], siteIds: ['mk-tabanovce-tc', 'mk-vinojug-tc'], available: 9, maximum: 20, unit: 'sessions', changeLastHour: 0 },
      { serviceId: 'svc-rs-interpret-2', serviceName: 'Interpreters Pool Belgrade', organizationId: 'org-rs-ip', serviceType: 'SERVICE_TYPE_INTERPRETATION', jurisdictions: ['RS'], siteIds: ['rs-presevo-rc', 'rs-obrenovac-ac'], available: 6, maximum: 10, unit: 'interpreters', changeLastHour: -1 },
    ],
    timeline: Array.from({ length: BUCKETS }, (_, i) => {
      const wave = Math.round(6 + 10 * Math.sin((i / BUCKETS) * Math.PI) * k + (i % 3));
      return { arrivals: i === 5 ? 3 : Math.max(0, Math.round(wave * (exercise ? 0.5 : 1))), referrals: i === 9 ? 2 : Math.round(wave * 0.7) };
    }),
    alerts: [
      {
        identifier: `urn:oid:2.49.0.0.688.0.${exercise ? 'ex' : 'rs'}.2026.0001`,
        condition: 'capacity-exhausted/svc-rs-shelter-1',
        msgType: 'Alert',
        active: true,
        exercise,
        sent: minutesAgo(38),
        raised: minutesAgo(38),
        event: 'Referral capacity exhausted',
        headline: 'Safe accommodation exhausted: Safe House Network Serbia (0 of 12 beds)',
        severity: 'Severe',
        areaDesc: 'Serbia',
      },
    ],
  };
  for (const c of p.capacity) {
    c.updatedAt = minutesAgo(6);
    c.recent = [0, 1, 2, 3, 4, 5].map((j) => ({ at: minutesAgo(60 - j * 10), available: Math.max(0, c.available - c.changeLastHour + Math.round((c.changeLastHour * j) / 5)) }));
  }
  return p;
}

const pictures = { real: makePicture(false), exercise: makePicture(true) };

function capXml(a) {
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${esc(a.identifier)}</identifier>
  <sender>pact-situation@rs-belgrade</sender>
  <sent>${a.sent.toISOString().replace(/\.\d+Z$/, '+00:00')}</sent>
  <status>${a.exercise ? 'Exercise' : 'Actual'}</status>
  <msgType>${esc(a.msgType)}</msgType>
  <scope>Restricted</scope>
  <restriction>EOC duty officers and coordinators</restriction>
  <info>
    <category>Other</category>
    <event>${esc(a.event)}</event>
    <urgency>Immediate</urgency>
    <severity>${esc(a.severity)}</severity>
    <certainty>Observed</certainty>
    <headline>${esc(a.headline)}</headline>
    <area><areaDesc>${esc(a.areaDesc)}</areaDesc></area>
  </info>
</alert>
`;
}

function alertJson(a) {
  return { ...a, sent: a.sent.toISOString(), raised: a.raised.toISOString(), capXml: capXml(a) };
}

function situationJson(p) {
  const now = new Date();
  const ageOf = (since) => String(Math.max(0, Math.floor((now - since) / 1000)));
  const item = (x) => ({
    kind: x.kind,
    referralId: `ref-${x.referenceCode.toLowerCase()}`,
    referenceCode: x.referenceCode,
    serviceType: x.serviceType,
    provider: x.provider,
    jurisdiction: x.jurisdiction,
    siteId: x.siteId,
    emergencyId: x.emergencyId || '',
    priority: x.priority,
    escalationLevel: x.escalationLevel || 'ESCALATION_LEVEL_UNSPECIFIED',
    escalationReason: x.escalationReason || 'ESCALATION_REASON_UNSPECIFIED',
    since: x.since.toISOString(),
    ageSeconds: ageOf(x.since),
  });
  const hubFigures = figures(p.total);
  const bucketStart = Math.floor(now.getTime() / 1000 / BUCKET_SECONDS) * BUCKET_SECONDS;
  return {
    hub: p.hub,
    asOf: now.toISOString(),
    exercise: p.exercise,
    suppressionThreshold: THRESHOLD,
    revision: String(p.revision),
    cases: caseFigures(hubFigures),
    referrals: [
      referralFigures('SERVICE_TYPE_SAFE_ACCOMMODATION', 6, 2, 9, 14, 1, 0),
      referralFigures('SERVICE_TYPE_CHILD_PROTECTION', 8, 3, 21, 6, 0, 2),
      referralFigures('SERVICE_TYPE_HEALTH_CARE', 5, 0, 17, 33, 0, 1),
    ],
    handoffsInFlight: count(p.exercise ? 0 : 2),
    jurisdictions: Object.entries(p.areas).map(([code, a]) => area({
      jurisdiction: code,
      cases: caseFigures(figures(a.total)),
      referrals: [
        referralFigures('SERVICE_TYPE_SAFE_ACCOMMODATION', code === 'RS' ? 6 : 0, 1, 5, 9, 0, 0),
        referralFigures('SERVICE_TYPE_CHILD_PROTECTION', code === 'RS' ? 7 : 1, 2, 14, 3, 0, 1),
      ],
      overdue: a.overdue,
      openEscalations: a.esc,
    })),
    sites: Object.entries(p.sites).map(([siteId, s]) => area({
      jurisdiction: s.jurisdiction,
      siteId,
      cases: caseFigures(figures(s.total)),
      referrals: [referralFigures('SERVICE_TYPE_CHILD_PROTECTION', siteId === 'rs-presevo-rc' ? 6 : 2, 1, 4, 2, 0, 0)],
      overdue: s.overdue,
      openEscalations: s.esc,
    })),
    emergencies: p.exercise ? [] : [area({
      jurisdiction: 'RS',
      emergencyId: 'em-2026-presevo-surge',
      cases: caseFigures(figures(Math.round(p.areas.RS.total * 0.8))),
      referrals: [referralFigures('SERVICE_TYPE_SAFE_ACCOMMODATION', 5, 1, 3, 2, 0, 0)],
      overdue: 2,
      openEscalations: p.areas.RS.esc,
    })],
    overdue: p.overdue.slice().sort((a, b) => a.since - b.since).map(item),
    escalations: p.escalations.slice().sort((a, b) => a.since - b.since).map(item),
    capacity: p.capacity.map((c) => ({
      ...c,
      updatedAt: c.updatedAt.toISOString(),
      recent: c.recent.map((r) => ({ at: r.at.toISOString(), available: r.available })),
    })),
    timelineBucketSeconds: BUCKET_SECONDS,
    timeline: p.timeline.map((b, i) => ({
      start: new Date((bucketStart - (BUCKETS - 1 - i) * BUCKET_SECONDS) * 1000).toISOString(),
      arrivals: count(b.arrivals),
      referrals: count(b.referrals),
    })),
    alerts: p.alerts.filter((a) => a.active).map(alertJson),
  };
}

// ---- changes ------------------------------------------------------------------------------------

function addCase(p) {
  p.total += 1;
  p.areas.RS.total += 1;
  p.sites['rs-presevo-rc'].total += 1;
  p.timeline[p.timeline.length - 1].arrivals += 1;
  p.revision += 3;
}

let escalationSeq = 0;
function escalate(p) {
  escalationSeq += 1;
  const jurisdiction = escalationSeq % 2 ? 'RS' : 'MK';
  const siteId = jurisdiction === 'RS' ? 'rs-presevo-rc' : 'mk-tabanovce-tc';
  p.escalations.push({
    kind: 'KIND_ESCALATION_OPEN',
    referenceCode: `${jurisdiction}-E${String(escalationSeq).padStart(3, '0')}-QX7M`,
    serviceType: 'SERVICE_TYPE_EOC_DUTY_DESK',
    provider: `EOC duty desk ${jurisdiction}`,
    jurisdiction,
    siteId,
    priority: 'REFERRAL_PRIORITY_URGENT',
    escalationLevel: 'ESCALATION_LEVEL_EOC_DUTY_DESK',
    escalationReason: 'ESCALATION_REASON_NO_ELIGIBLE_PROVIDER',
    since: new Date(),
  });
  p.areas[jurisdiction].esc += 1;
  p.sites[siteId].esc += 1;
  p.revision += 2;
}

// ---- event streams ------------------------------------------------------------------------------

const streams = { real: new Set(), exercise: new Set() };

function sendSituation(res, p) {
  res.write(`event: situation\ndata: ${JSON.stringify(situationJson(p))}\n\n`);
}

function push(mode) {
  for (const res of streams[mode]) sendSituation(res, pictures[mode]);
}

// ---- HTTP ---------------------------------------------------------------------------------------

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
  + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function json(res, status, body, extra = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

function noContent(res, extra = {}) {
  res.writeHead(204, { ...SECURITY_HEADERS, ...extra });
  res.end();
}

function sessionOf(req) {
  const header = req.headers.cookie || '';
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE && sessions.has(rest.join('='))) return rest.join('=');
  }
  return null;
}

async function readBody(req, limit = 16384) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

async function serveStatic(req, res, pathname) {
  let rel = decodeURIComponent(pathname);
  if (rel.endsWith('/')) rel += 'index.html';
  const file = path.resolve(root, `.${path.posix.normalize(rel)}`);
  if (file !== root && !file.startsWith(root + path.sep)) return json(res, 404, { error: 'not found' });
  try {
    const body = await fs.readFile(file);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Content-Length': body.length,
      ...(file.endsWith('.html') ? { 'Content-Security-Policy': CSP } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    json(res, 404, { error: 'not found' });
  }
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://fixture');
  const mode = url.searchParams.get('exercise') === 'true' ? 'exercise' : 'real';
  const p = pictures[mode];
  try {
    // Test hooks.
    if (url.pathname.startsWith('/_fixture/')) {
      if (req.method === 'POST' && url.pathname === '/_fixture/add-case') {
        addCase(p);
        push(mode);
        return json(res, 200, { revision: String(p.revision), total: p.total });
      }
      if (req.method === 'POST' && url.pathname === '/_fixture/escalate') {
        escalate(p);
        push(mode);
        return json(res, 200, { revision: String(p.revision), escalations: p.escalations.length });
      }
      if (req.method === 'POST' && url.pathname === '/_fixture/drop-streams') {
        for (const set of Object.values(streams)) for (const s of set) s.destroy();
        return noContent(res);
      }
      if (req.method === 'GET' && url.pathname === '/_fixture/state') {
        return json(res, 200, Object.fromEntries(Object.entries(pictures).map(([k, v]) => [k, { revision: v.revision, total: v.total, escalations: v.escalations.length }])));
      }
      return json(res, 404, { error: 'no such fixture hook' });
    }

    if (url.pathname === '/api/session') {
      if (req.method === 'POST') {
        let token = '';
        try {
          token = JSON.parse(await readBody(req)).token;
        } catch {
          return json(res, 400, { error: 'body must be JSON {"token": "..."}' });
        }
        if (token !== TOKEN) return json(res, 401, { error: 'the token is not valid' });
        const id = randomBytes(18).toString('base64url');
        sessions.add(id);
        return noContent(res, { 'Set-Cookie': `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict` });
      }
      if (req.method === 'DELETE') {
        const id = sessionOf(req);
        if (id) sessions.delete(id);
        return noContent(res, { 'Set-Cookie': `${COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0` });
      }
      return json(res, 405, { error: 'method not allowed' });
    }

    if (url.pathname.startsWith('/api/')) {
      if (!sessionOf(req)) return json(res, 401, { error: 'not signed in' });
      if (req.method !== 'GET') return json(res, 405, { error: 'method not allowed' });
      if (url.pathname === '/api/situation') return json(res, 200, situationJson(p));
      if (url.pathname === '/api/situation/stream') {
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'Content-Type': 'text/event-stream; charset=utf-8',
          Connection: 'keep-alive',
          'X-Accel-Buffering': 'no',
        });
        res.write('retry: 2000\n\n');
        sendSituation(res, p);
        streams[mode].add(res);
        const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), 15000);
        const done = () => {
          clearInterval(heartbeat);
          streams[mode].delete(res);
        };
        req.on('close', done);
        res.on('close', done);
        return undefined;
      }
      if (url.pathname === '/api/alerts') {
        const includeCleared = url.searchParams.get('include_cleared') === 'true';
        return json(res, 200, { alerts: p.alerts.filter((a) => a.active || includeCleared).map(alertJson) });
      }
      const m = /^\/api\/alerts\/(.+)\.xml$/.exec(url.pathname);
      if (m) {
        const id = decodeURIComponent(m[1]);
        const alert = Object.values(pictures).flatMap((x) => x.alerts).find((a) => a.identifier === id);
        if (!alert) return json(res, 404, { error: 'no such alert' });
        const body = capXml(alert);
        res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/cap+xml; charset=utf-8' });
        return res.end(body);
      }
      return json(res, 404, { error: 'not found' });
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
    return serveStatic(req, res, url.pathname);
  } catch (err) {
    console.error('fixture:', err);
    if (!res.headersSent) json(res, 500, { error: 'internal error' });
    else res.end();
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`fixture listening on http://127.0.0.1:${server.address().port}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const set of Object.values(streams)) for (const s of set) s.destroy();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  });
}
