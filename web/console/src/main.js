// EOC situation console: sign-in, the live stream of the situation picture, the exercise switch.

import { Unauthorized, fetchSituation, openSituationStream, signIn, signOut } from './api.js';
import { byId, forgetRendered, setText } from './dom.js';
import {
  renderAlerts, renderCapacity, renderHeader, renderNeedsAction, renderOverview, renderTotals, tickAges,
} from './render.js';
import { destroyTimeline, renderTimeline } from './timeline.js';

const state = {
  exercise: false,
  // Bumped whenever what is shown is started anew (sign-in, switch, sign-out): late answers of an
  // older generation are dropped.
  generation: 0,
  stream: null,
  retryTimer: null,
  retryDelay: 2000,
  live: false,
  hasPicture: false,
};

// ---- the address bar's sign-in link -------------------------------------------------------------

/** Takes `#token=...` off the address bar (before anything else) and returns it. */
function takeFragmentToken() {
  const hash = window.location.hash;
  if (!hash || hash.length < 2) return null;
  const params = new URLSearchParams(hash.slice(1));
  const token = params.get('token');
  if (token === null) return null;
  params.delete('token');
  const rest = params.toString();
  const url = window.location.pathname + window.location.search + (rest ? `#${rest}` : '');
  window.history.replaceState(window.history.state, '', url);
  return token;
}

// ---- views --------------------------------------------------------------------------------------

function setLive(live) {
  state.live = live;
  const el = byId('live-status');
  setText(el, live ? 'live' : 'reconnecting');
  el.classList.toggle('is-live', live);
  document.body.classList.toggle('is-stale', !live && state.hasPicture);
}

function setLoadState(text) {
  const el = byId('load-state');
  setText(el, text || '');
  el.hidden = !text;
}

function clearPicture() {
  state.hasPicture = false;
  forgetRendered();
  destroyTimeline();
  for (const id of ['totals', 'overdue-wrap', 'escalations-wrap', 'overview-wrap', 'emergencies-wrap', 'alerts-wrap', 'capacity', 'timeline-table-wrap']) {
    byId(id).replaceChildren();
  }
  for (const id of ['overdue-badge', 'escalations-badge', 'alerts-badge']) setText(byId(id), '0');
  setText(byId('as-of'), '—');
  setText(byId('revision'), '—');
  setText(byId('hub-name'), '');
  setText(byId('timeline-note'), '');
  document.body.classList.add('no-picture');
  document.body.classList.remove('is-stale');
}

function showSignIn(message) {
  closeStream();
  clearPicture();
  setLive(false);
  byId('console').hidden = true;
  byId('sign-out').hidden = true;
  byId('signin').hidden = false;
  const err = byId('signin-error');
  setText(err, message || '');
  err.hidden = !message;
  const input = byId('signin-token');
  input.value = '';
  input.focus();
}

function showConsole() {
  byId('signin').hidden = true;
  byId('console').hidden = false;
  byId('sign-out').hidden = false;
}

function applyExerciseChrome() {
  byId('exercise-banner').hidden = !state.exercise;
  document.body.classList.toggle('exercise', state.exercise);
  document.title = `${state.exercise ? 'EXERCISE · ' : ''}EOC situation · PaCT Referral Hub`;
}

function accept(situation, generation) {
  if (generation !== state.generation) return;
  if (Boolean(situation.exercise) !== state.exercise) {
    // Never show the real picture under the exercise banner or the other way round.
    console.warn('situation: ignored a picture of the other mode');
    return;
  }
  const receivedAt = performance.now();
  state.hasPicture = true;
  document.body.classList.remove('no-picture');
  setLoadState('');
  renderHeader(situation);
  renderTotals(situation);
  renderNeedsAction(situation, receivedAt);
  renderOverview(situation);
  renderAlerts(situation);
  renderCapacity(situation);
  renderTimeline(situation);
  document.body.classList.toggle('is-stale', !state.live);
}

// ---- loading and the stream ---------------------------------------------------------------------

function closeStream() {
  if (state.stream) {
    state.stream.close();
    state.stream = null;
  }
  if (state.retryTimer) {
    clearTimeout(state.retryTimer);
    state.retryTimer = null;
  }
}

function scheduleRetry(generation, fn) {
  if (state.retryTimer) clearTimeout(state.retryTimer);
  const delay = state.retryDelay;
  state.retryDelay = Math.min(30000, state.retryDelay * 2);
  state.retryTimer = setTimeout(() => {
    state.retryTimer = null;
    if (generation === state.generation) fn();
  }, delay);
}

function openStream(generation) {
  if (generation !== state.generation) return;
  closeStream();
  state.stream = openSituationStream(state.exercise, {
    onOpen() {
      if (generation !== state.generation) return;
      state.retryDelay = 2000;
      setLive(true);
    },
    onSituation(situation) {
      if (generation !== state.generation) return;
      if (!state.live) setLive(true);
      accept(situation, generation);
    },
    onError() {
      // The browser reconnects by itself.
      if (generation === state.generation) setLive(false);
    },
    onFatal() {
      // An HTTP error (401 when the session ended, 5xx): find out which, then start again.
      if (generation !== state.generation) return;
      setLive(false);
      if (state.stream) state.stream.close();
      state.stream = null;
      scheduleRetry(generation, () => load(generation));
    },
  });
}

/** Fetches the picture once (this is also where a missing session shows), then follows the stream. */
async function load(generation = state.generation) {
  if (generation !== state.generation) return;
  try {
    const situation = await fetchSituation(state.exercise);
    if (generation !== state.generation) return;
    accept(situation, generation);
  } catch (err) {
    if (generation !== state.generation) return;
    if (err instanceof Unauthorized) {
      showSignIn(state.hasPicture ? 'Your session has ended. Sign in again.' : '');
      return;
    }
    console.warn('situation: could not load', err);
    if (!state.hasPicture) setLoadState(`Cannot reach the situation service (${err.message}). Retrying…`);
    setLive(false);
  }
  openStream(generation);
}

function start() {
  state.generation += 1;
  closeStream();
  clearPicture();
  setLive(false);
  showConsole();
  setLoadState(state.exercise ? 'Loading the exercise picture…' : 'Loading the situation…');
  load(state.generation);
}

// ---- controls -----------------------------------------------------------------------------------

function wireControls() {
  const exerciseSwitch = byId('exercise-switch');
  exerciseSwitch.checked = false;
  exerciseSwitch.addEventListener('change', () => {
    state.exercise = exerciseSwitch.checked;
    applyExerciseChrome();
    if (!byId('signin').hidden) return;
    start();
  });

  byId('sign-out').addEventListener('click', async () => {
    state.generation += 1;
    closeStream();
    try {
      await signOut();
    } catch (err) {
      console.warn('sign-out', err);
    }
    showSignIn('You are signed out.');
  });

  byId('signin-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = byId('signin-token');
    const button = event.currentTarget.querySelector('button[type="submit"]');
    const token = input.value.trim();
    const err = byId('signin-error');
    if (!token) {
      setText(err, 'Paste your access token.');
      err.hidden = false;
      input.focus();
      return;
    }
    button.disabled = true;
    try {
      await signIn(token);
      input.value = '';
      err.hidden = true;
      start();
    } catch (e) {
      setText(err, e instanceof Unauthorized ? `Sign-in refused: ${e.message}` : `Sign-in failed: ${e.message}`);
      err.hidden = false;
      input.select();
    } finally {
      button.disabled = false;
    }
  });

  setInterval(() => tickAges(performance.now()), 1000);
}

async function main() {
  const token = takeFragmentToken();
  wireControls();
  applyExerciseChrome();
  if (token !== null) {
    try {
      await signIn(token);
    } catch (err) {
      showSignIn(err instanceof Unauthorized ? `The sign-in link was refused: ${err.message}` : `Sign-in failed: ${err.message}`);
      return;
    }
  }
  start();
}

main();
