// The pact-situation HTTP API (same origin). Paths are relative so that the console also works
// behind a path prefix; the page is served at the prefix's root.

export class Unauthorized extends Error {
  constructor(message) {
    super(message || 'Not signed in');
    this.name = 'Unauthorized';
  }
}

async function errorText(res) {
  try {
    const body = await res.json();
    if (body && typeof body.error === 'string' && body.error) return body.error;
  } catch {
    // not JSON
  }
  return `${res.status} ${res.statusText}`.trim();
}

function exerciseParam(exercise) {
  return exercise ? 'true' : 'false';
}

/** POST /api/session {token}: the server sets an HttpOnly session cookie (204). */
export async function signIn(token) {
  const res = await fetch('api/session', {
    method: 'POST',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (res.ok) return;
  const message = await errorText(res);
  if (res.status === 401 || res.status === 403) throw new Unauthorized(message);
  throw new Error(message);
}

/** DELETE /api/session. */
export async function signOut() {
  await fetch('api/session', { method: 'DELETE', credentials: 'same-origin', cache: 'no-store' });
}

/** GET /api/situation?exercise=..: the picture now. */
export async function fetchSituation(exercise) {
  const res = await fetch(`api/situation?exercise=${exerciseParam(exercise)}`, {
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { Accept: 'application/json' },
  });
  if (res.status === 401) throw new Unauthorized(await errorText(res));
  if (!res.ok) throw new Error(await errorText(res));
  return res.json();
}

/** The URL of an alert's CAP 1.2 XML document. */
export function alertXmlUrl(identifier) {
  return `api/alerts/${encodeURIComponent(identifier)}.xml`;
}

/**
 * GET /api/situation/stream?exercise=..: `event: situation` with the picture at once and after
 * every change. EventSource retries by itself after a dropped connection; it gives up (CLOSED)
 * on an HTTP error such as 401, which `onFatal` reports.
 */
export function openSituationStream(exercise, { onSituation, onOpen, onError, onFatal }) {
  const es = new EventSource(`api/situation/stream?exercise=${exerciseParam(exercise)}`, { withCredentials: true });
  const handle = (event) => {
    let situation;
    try {
      situation = JSON.parse(event.data);
    } catch (err) {
      console.warn('situation stream: unreadable event', err);
      return;
    }
    onSituation(situation);
  };
  es.addEventListener('situation', handle);
  // A server that sends unnamed events: same payload.
  es.addEventListener('message', handle);
  es.addEventListener('open', () => onOpen());
  es.addEventListener('error', () => {
    if (es.readyState === EventSource.CLOSED) onFatal();
    else onError();
  });
  return es;
}
