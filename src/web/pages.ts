// The pages the API server serves before the Lit panel exists: a sign-in page
// that also does the first-run admin setup, and the status page (channels,
// recent calls, live events) for admins and supervisors. Scripts are separate
// files so the CSP can forbid inline script; everything from a line (caller
// ID, names) goes into the page with textContent only.

const STYLE = `<style>body{font:14px system-ui;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}
label{display:block;margin:.5em 0}input{font:inherit;padding:2px 4px}#msg{color:#b00}
#log{font:12px monospace;white-space:pre-wrap;max-height:40em;overflow:auto;background:#f7f7f7;padding:1em}</style>`;

const signIn = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Hotline</title>${STYLE}
<h1>Hotline</h1>
<p id="intro">The web panel is on its way; until then, sign in here and use the API (see <code>docs/api.md</code>).</p>
<form id="f" hidden><h2 id="title"></h2>
<label>User name <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required minlength="1"></label>
<label id="again" hidden>Password again <input name="password2" type="password" autocomplete="new-password"></label>
<button id="go"></button> <span id="msg"></span></form>
<div id="in" hidden><p id="who"></p><ul><li><a href="/status">Status page</a></li><li><a href="/api/openapi.json">API commands (OpenAPI)</a></li></ul><button id="out">Sign out</button></div>
<script src="/signin.js"></script></html>`;

const signInJs = `'use strict';
const $ = (id) => document.getElementById(id);
let csrf = null;
async function call(name, input, withCsrf) {
  const headers = { 'content-type': 'application/json' };
  if (withCsrf && csrf) headers['x-csrf-token'] = csrf;
  const r = await fetch('/api/' + name, { method: 'POST', headers, body: JSON.stringify(input || {}) });
  return r.json();
}
async function show() {
  const me = await call('auth/session/whoami');
  if (me.ok) {
    csrf = me.data.csrfToken;
    $('f').hidden = true; $('in').hidden = false;
    $('who').textContent = 'Signed in as ' + me.data.name + ' (' + me.data.role + ').';
    return;
  }
  const st = await call('auth/setup/status');
  const setup = st.ok && st.data.needsSetup;
  $('in').hidden = true; $('f').hidden = false; $('again').hidden = !setup;
  $('title').textContent = setup ? 'First start: choose the admin password' : 'Sign in';
  $('go').textContent = setup ? 'Create admin' : 'Sign in';
  if (setup) $('f').username.value = 'admin';
  $('f').dataset.setup = setup ? '1' : '';
}
$('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = $('f'); $('msg').textContent = '';
  const setup = f.dataset.setup === '1';
  if (setup && f.password.value !== f.password2.value) { $('msg').textContent = 'The passwords differ.'; return; }
  const r = await call(setup ? 'auth/setup/create-admin' : 'auth/session/login', { username: f.username.value, password: f.password.value });
  if (!r.ok) { $('msg').textContent = r.error.message; return; }
  f.password.value = ''; f.password2.value = '';
  show();
});
$('out').addEventListener('click', async () => { await call('auth/session/logout', {}, true); csrf = null; show(); });
show();
`;

const signInFirst = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Hotline</title>${STYLE}
<h1>Hotline</h1><p>Sign in first (as an admin or supervisor): <a href="/">sign-in page</a>.</p></html>`;

const status = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Hotline status</title>${STYLE}
<h1>Hotline status</h1><p><a href="/">account</a></p><p id="info"></p>
<table id="ch"><thead><tr><th>chan</th><th>kind</th><th>state</th><th>off-hook</th><th>bridged</th><th>caller</th></tr></thead><tbody></tbody></table>
<h2>Recent calls</h2><table id="calls"><thead><tr><th>started</th><th>direction</th><th>caller</th><th>name</th><th>callee</th><th>route / IVR</th><th>disposition</th><th>talk s</th><th>hang-up</th></tr></thead><tbody></tbody></table>
<h2>Events</h2><div id="log"></div>
<script src="/status.js"></script></html>`;

const statusJs = `'use strict';
const tb = document.querySelector('#ch tbody'), log = document.getElementById('log');
function cell(tr, v) { const td = document.createElement('td'); td.textContent = v == null ? '' : String(v); tr.appendChild(td); }
async function call(name, input) {
  const r = await fetch('/api/' + name, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input || {}) });
  const j = await r.json(); if (!j.ok) throw new Error(j.error.message); return j.data;
}
async function refresh() {
  let s; try { s = await call('engine/state/get'); } catch (e) { document.getElementById('info').textContent = e.message; return; }
  document.getElementById('info').textContent = 'engine time ' + s.time + ' ms, ' + s.channels.length + ' channels';
  tb.replaceChildren();
  for (const c of s.channels) { const st = s.states.find((x) => x.chan === c.chan) || {};
    const tr = document.createElement('tr'); [c.chan, c.kind, st.state, st.offhook, st.bridgedTo || '', st.callerNumber].forEach((v) => cell(tr, v)); tb.appendChild(tr); }
}
async function calls() {
  let rows; try { rows = await call('calls/cdr/list', { limit: 50 }); } catch { return; }
  const b = document.querySelector('#calls tbody'); b.replaceChildren();
  for (const c of rows) { const tr = document.createElement('tr');
    [c.startedAt, c.direction, c.caller, c.callerName, c.callee, [c.route, c.ivrPath].filter(Boolean).join(' / '), c.disposition, c.talkS, c.hangupSide].forEach((v) => cell(tr, v)); b.appendChild(tr); }
}
function line(text) { const d = document.createElement('div'); d.textContent = text; log.prepend(d); while (log.childNodes.length > 300) log.lastChild.remove(); }
function connect() {
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/ws');
  ws.onopen = () => { ws.send(JSON.stringify({ type: 'subscribe', id: 'engine', topic: 'engine' })); ws.send(JSON.stringify({ type: 'subscribe', id: 'journal', topic: 'journal' })); };
  ws.onmessage = (m) => { const msg = JSON.parse(m.data); if (msg.type !== 'event') return; line(JSON.stringify(msg.data)); if (msg.topic === 'engine') refresh(); else calls(); };
  ws.onclose = () => setTimeout(() => { refresh(); calls(); connect(); }, 2000);
}
setInterval(calls, 10000); calls(); refresh(); connect();
`;

export const PAGES = { signIn, signInJs, signInFirst, status, statusJs };
