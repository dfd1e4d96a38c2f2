// A read-only status page for the box until the full web panel lands: the
// engine's channels, recent calls and live events. Every route needs the access token
// generated on first start (kept in the data directory, mode 0600); the token
// is exchanged for an HttpOnly, SameSite=Strict cookie.
import Koa from 'koa';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { EngineClient } from '../telephony/engine-client.js';
import type { EngineEvent } from '../telephony/protocol.js';
import type { Store } from '../store/store.js';

export function accessToken(dataDir: string): string {
  const file = path.join(dataDir, 'access-token');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const token = crypto.randomBytes(24).toString('base64url');
  fs.writeFileSync(file, token + '\n', { mode: 0o600 });
  return token;
}

const PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Hotline engine</title>
<style>body{font:14px system-ui;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}
#log{font:12px monospace;white-space:pre-wrap;max-height:40em;overflow:auto;background:#f7f7f7;padding:1em}</style>
<h1>Hotline engine</h1><p id="info"></p><table id="ch"><thead><tr><th>chan</th><th>kind</th><th>state</th><th>off-hook</th><th>bridged</th><th>caller</th></tr></thead><tbody></tbody></table>
<h2>Recent calls</h2><table id="calls"><thead><tr><th>started</th><th>direction</th><th>caller</th><th>name</th><th>callee</th><th>route / IVR</th><th>disposition</th><th>talk s</th><th>hang-up</th></tr></thead><tbody></tbody></table>
<h2>Queues</h2><table id="queues"><thead><tr><th>queue</th><th>waiting</th><th>longest wait s</th><th>agents in</th><th>offered today</th><th>answered</th><th>abandoned</th><th>service level</th></tr></thead><tbody></tbody></table>
<h2>Agents</h2><table id="agents"><thead><tr><th>agent</th><th>phone</th><th>state</th><th>reason</th><th>calls today</th></tr></thead><tbody></tbody></table>
<h2>Events</h2><div id="log"></div>
<script>
const tb = document.querySelector('#ch tbody'), log = document.getElementById('log');
function cell(tr, v) { const td = document.createElement('td'); td.textContent = v == null ? '' : String(v); tr.appendChild(td); }
async function refresh() {
  const r = await fetch('/api/state'); if (!r.ok) return;
  const s = await r.json();
  document.getElementById('info').textContent = 'engine time ' + s.time + ' ms, ' + s.channels.length + ' channels';
  tb.replaceChildren();
  for (const c of s.channels) { const st = s.states.find((x) => x.chan === c.chan) || {};
    const tr = document.createElement('tr'); [c.chan, c.kind, st.state, st.offhook, st.bridgedTo || '', st.callerNumber].forEach((v) => cell(tr, v)); tb.appendChild(tr); }
}
async function calls() {
  const r = await fetch('/api/calls'); if (!r.ok) return;
  const rows = await r.json(); const b = document.querySelector('#calls tbody'); b.replaceChildren();
  for (const c of rows) { const tr = document.createElement('tr');
    [c.startedAt, c.direction, c.caller, c.callerName, c.callee, [c.route, c.ivrPath].filter(Boolean).join(' / '), c.disposition, c.talkS, c.hangupSide].forEach((v) => cell(tr, v)); b.appendChild(tr); }
}
async function acd() {
  const r = await fetch('/api/acd'); if (!r.ok) return;
  const s = await r.json();
  const qb = document.querySelector('#queues tbody'); qb.replaceChildren();
  for (const q of s.queues) { const tr = document.createElement('tr');
    [q.id, q.waiting, q.longestWaitSec, q.loggedIn, q.offered, q.answered, q.abandoned, q.serviceLevel == null ? '' : Math.round(q.serviceLevel * 100) + ' %'].forEach((v) => cell(tr, v)); qb.appendChild(tr); }
  const ab = document.querySelector('#agents tbody'); ab.replaceChildren();
  for (const a of s.agents) { const tr = document.createElement('tr'); [a.id, a.ext, a.state, a.reason, a.calls].forEach((v) => cell(tr, v)); ab.appendChild(tr); }
}
setInterval(calls, 2000); calls(); setInterval(acd, 2000); acd();
const es = new EventSource('/api/events');
es.onmessage = (m) => { const line = document.createElement('div'); line.textContent = m.data; log.prepend(line); while (log.childNodes.length > 300) log.lastChild.remove(); refresh(); };
refresh();
</script></html>`;

export function startStatusServer(opts: { port: number; host: string; dataDir: string; client: EngineClient; store?: Store; acd?: () => unknown }): Server {
  const token = accessToken(opts.dataDir);
  const app = new Koa();
  const session = crypto.randomBytes(24).toString('base64url');
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline'");
    if (ctx.query.token !== undefined) {
      const given = Buffer.from(String(ctx.query.token));
      const want = Buffer.from(token);
      if (given.length === want.length && crypto.timingSafeEqual(given, want)) {
        ctx.cookies.set('hotline_session', session, { httpOnly: true, sameSite: 'strict' });
        ctx.redirect('/');
        return;
      }
    }
    if (ctx.cookies.get('hotline_session') !== session) {
      ctx.status = 401;
      ctx.body = 'Sign in with the link printed when the box started (token in the data directory, file access-token).';
      return;
    }
    await next();
  });
  app.use(async (ctx) => {
    if (ctx.method !== 'GET') { ctx.status = 405; return; }
    if (ctx.path === '/') { ctx.type = 'html'; ctx.body = PAGE; return; }
    if (ctx.path === '/api/state') { ctx.body = await opts.client.request('state'); return; }
    // Caller ID is line data: the page puts every field in with textContent.
    if (ctx.path === '/api/acd') { ctx.body = opts.acd ? opts.acd() : { queues: [], agents: [] }; return; }
    if (ctx.path === '/api/calls') { ctx.body = opts.store ? opts.store.cdr.list({ limit: 50 }) : []; return; }
    if (ctx.path === '/api/events') {
      ctx.req.socket.setTimeout(0);
      ctx.type = 'text/event-stream';
      ctx.set('Cache-Control', 'no-cache');
      ctx.status = 200;
      ctx.respond = false;
      ctx.res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      const on = (e: EngineEvent) => ctx.res.write(`data: ${JSON.stringify(e)}\n\n`);
      opts.client.on('event', on);
      ctx.req.on('close', () => opts.client.off('event', on));
      return;
    }
    ctx.status = 404;
  });
  return app.listen(opts.port, opts.host);
}
