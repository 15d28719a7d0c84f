// Readable labels and number formatting for the situation picture (proto3 JSON of
// pact.situation.v1.Situation). Nothing here touches the DOM.

export const JURISDICTIONS = {
  AL: 'Albania',
  BA: 'Bosnia and Herzegovina',
  XK: 'Kosovo*',
  ME: 'Montenegro',
  MK: 'North Macedonia',
  RS: 'Serbia',
};

/** The name shown beside an ISO code; '' for a code without a configured name. */
export function jurisdictionName(code) {
  if (!code) return 'Unknown';
  if (code === 'OTHER') return 'Other jurisdictions';
  return JURISDICTIONS[code] || '';
}

export function jurisdictionCode(code) {
  return code || '—';
}

const SERVICE_TYPES = {
  SERVICE_TYPE_EMERGENCY_MEDICAL_CARE: 'Emergency medical care',
  SERVICE_TYPE_HEALTH_CARE: 'Health care',
  SERVICE_TYPE_CHILD_PROTECTION: 'Child protection',
  SERVICE_TYPE_GUARDIANSHIP: 'Guardianship',
  SERVICE_TYPE_FORMAL_IDENTIFICATION_AUTHORITY: 'Formal identification authority',
  SERVICE_TYPE_SAFE_ACCOMMODATION: 'Safe accommodation',
  SERVICE_TYPE_PSYCHOSOCIAL_SUPPORT: 'Psychosocial support',
  SERVICE_TYPE_LEGAL_AID: 'Legal aid',
  SERVICE_TYPE_INTERPRETATION: 'Interpretation',
  SERVICE_TYPE_MATERIAL_ASSISTANCE: 'Material assistance',
  SERVICE_TYPE_POLICE_ANTI_TRAFFICKING: 'Police anti-trafficking unit',
  SERVICE_TYPE_FAMILY_TRACING: 'Family tracing',
  SERVICE_TYPE_EDUCATION: 'Education',
  SERVICE_TYPE_EMPLOYMENT_AND_INCLUSION: 'Employment and inclusion',
  SERVICE_TYPE_RETURN_AND_REINTEGRATION: 'Return and reintegration',
  SERVICE_TYPE_INFORMATION_AND_COUNSELLING: 'Information and counselling',
  SERVICE_TYPE_EOC_DUTY_DESK: 'EOC duty desk',
  SERVICE_TYPE_NATIONAL_COORDINATOR: 'National coordinator',
};

const KINDS = {
  KIND_ACKNOWLEDGEMENT_OVERDUE: 'Acknowledgement overdue',
  KIND_ACCEPTANCE_OVERDUE: 'Acceptance overdue',
  KIND_ESCALATION_OPEN: 'Escalation open',
};

const PRIORITIES = {
  REFERRAL_PRIORITY_ROUTINE: 'Routine',
  REFERRAL_PRIORITY_URGENT: 'Urgent',
  REFERRAL_PRIORITY_ASAP: 'ASAP',
  REFERRAL_PRIORITY_STAT: 'Immediate',
};

const ESCALATION_LEVELS = {
  ESCALATION_LEVEL_EOC_DUTY_DESK: 'EOC duty desk',
  ESCALATION_LEVEL_NATIONAL_COORDINATOR: 'National coordinator',
};

const ESCALATION_REASONS = {
  ESCALATION_REASON_NO_ELIGIBLE_PROVIDER: 'no eligible provider',
  ESCALATION_REASON_COORDINATION_DEADLINE_MISSED: 'duty desk deadline missed',
  ESCALATION_REASON_HANDOFF_UNANSWERED: 'handoff unanswered',
  ESCALATION_REASON_HANDOFF_DECLINED: 'handoff declined',
  ESCALATION_REASON_NO_PEER_HUB: 'no peer hub at destination',
};

// An enum name the console does not know yet (a newer server): readable, not raw.
function fallbackEnum(value, prefix) {
  if (!value || value.endsWith('_UNSPECIFIED')) return '';
  const words = value.startsWith(prefix) ? value.slice(prefix.length) : value;
  const text = words.toLowerCase().replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function serviceTypeLabel(v) {
  return SERVICE_TYPES[v] || fallbackEnum(v, 'SERVICE_TYPE_') || '—';
}
export function kindLabel(v) {
  return KINDS[v] || fallbackEnum(v, 'KIND_') || '—';
}
export function priorityLabel(v) {
  return PRIORITIES[v] || fallbackEnum(v, 'REFERRAL_PRIORITY_') || '—';
}
/** Priorities a duty officer should see at a glance. */
export function priorityIsHigh(v) {
  return v === 'REFERRAL_PRIORITY_STAT' || v === 'REFERRAL_PRIORITY_ASAP' || v === 'REFERRAL_PRIORITY_URGENT';
}
export function escalationLabel(level, reason) {
  const l = ESCALATION_LEVELS[level] || fallbackEnum(level, 'ESCALATION_LEVEL_');
  const r = ESCALATION_REASONS[reason] || fallbackEnum(reason, 'ESCALATION_REASON_').toLowerCase();
  if (l && r) return `${l} — ${r}`;
  return l || (r ? r.charAt(0).toUpperCase() + r.slice(1) : '—');
}

const numberFormat = new Intl.NumberFormat('en-GB');

export function formatNumber(n) {
  return numberFormat.format(Number(n) || 0);
}

/**
 * A Count ({value, suppressed}) as shown: a suppressed count is "<T", never 0.
 * @returns {{text: string, suppressed: boolean, value: number}}
 */
export function countView(count, threshold) {
  const c = count || { value: 0, suppressed: false };
  if (c.suppressed) return { text: `<${threshold || '?'}`, suppressed: true, value: 0 };
  const value = Number(c.value) || 0;
  return { text: formatNumber(value), suppressed: false, value };
}

/**
 * The sum of several Counts. Suppressed parts are not known, so the sum is a lower bound then:
 * "12+" (or "<T" when all non-zero parts are suppressed and only one is).
 */
export function sumCountsView(counts, threshold) {
  let sum = 0;
  let suppressedParts = 0;
  for (const c of counts) {
    if (!c) continue;
    if (c.suppressed) suppressedParts += 1;
    else sum += Number(c.value) || 0;
  }
  if (suppressedParts === 0) return { text: formatNumber(sum), suppressed: false, value: sum };
  if (sum === 0 && suppressedParts === 1) return { text: `<${threshold || '?'}`, suppressed: true, value: 0 };
  return { text: `${formatNumber(sum)}+`, suppressed: true, value: sum, partial: true };
}

/** "45 s", "4 min", "2 h 5 min", "3 d 4 h". */
export function formatAge(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** Parses a proto uint64/int64 (a JSON string) or number. */
export function toNumber(v) {
  if (v === undefined || v === null || v === '') return 0;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}

export function parseTime(ts) {
  if (!ts) return null;
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? null : d;
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const shortTimeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false,
});

export function formatClock(d) {
  return d ? timeFormat.format(d) : '—';
}
export function formatShortClock(d) {
  return d ? shortTimeFormat.format(d) : '—';
}
export function formatDateTime(d) {
  return d ? dateTimeFormat.format(d) : '—';
}
/** A time zone label for the header ("UTC+01:00"), so nobody misreads the clock. */
export function zoneLabel(d) {
  const offset = -(d || new Date()).getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '−';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `UTC${sign}${hh}:${mm}`;
}

export function formatDuration(seconds) {
  const s = toNumber(seconds);
  if (!s) return '';
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}
