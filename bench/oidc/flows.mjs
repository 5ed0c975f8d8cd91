// Load driver for the interactive flows of our provider (loopback only): full sign-in (authorization code + PKCE
// through the real /masuk form, then the code exchange) and the refresh-token grant (each worker rotates its own
// token chain). Prints one JSON line per flow: {"flow","ok","errors","seconds","perSecond","p50","p95","p99"}.
//
//   node flows.mjs BASE_URL CLIENT_ID CLIENT_SECRET REDIRECT_URI NIP PASSWORD LOGINS LOGIN_CONC REFRESHES REFRESH_CONC
//
// TLS: run with NODE_EXTRA_CA_CERTS pointing at the host's certificate.
import crypto from 'node:crypto';

const [,, base, clientId, secret, redirectUri, nip, password, loginsArg, loginConcArg, refreshesArg, refreshConcArg] = process.argv;
const url = new URL(base);
if (!['127.0.0.1', 'localhost'].includes(url.hostname)) { console.error('refusing non-loopback', base); process.exit(2); }
const basic = 'Basic ' + Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64');

const b64url = (buf) => buf.toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

class Jar {
  constructor() { this.cookies = new Map(); }
  take(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }
  header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
}

async function get(jar, path) {
  const r = await fetch(new URL(path, base), { redirect: 'manual', headers: { cookie: jar.header() } });
  jar.take(r);
  return r;
}

async function token(form) {
  const r = await fetch(new URL('/connect/token', base), {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = await r.json();
  if (!r.ok) throw new Error(`token ${r.status} ${body.error}`);
  return body;
}

// One complete sign-in as a browser and a relying party would do it; returns the token response.
async function signIn() {
  const jar = new Jar();
  const verifier = b64url(crypto.randomBytes(32));
  const challenge = b64url(crypto.createHash('sha256').update(verifier).digest());
  const authorize = `/connect/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(redirectUri)}` +
    `&scope=${encodeURIComponent('openid profile offline_access')}&state=s&code_challenge=${challenge}&code_challenge_method=S256`;
  const first = await get(jar, authorize);
  const login = first.headers.get('location');
  if (first.status !== 302 || !login.includes('/masuk')) throw new Error(`authorize ${first.status}`);
  const page = await (await get(jar, login)).text();
  const antiforgery = page.match(/name="__RequestVerificationToken" type="hidden" value="([^"]+)"/)[1];
  const returnUrl = page.match(/id="ReturnUrl" name="ReturnUrl" value="([^"]*)"/)[1].replace(/&amp;/g, '&');
  const posted = await fetch(new URL(login, base), {
    method: 'POST', redirect: 'manual',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'Input.Nip': nip, 'Input.Password': password, ReturnUrl: returnUrl, __RequestVerificationToken: antiforgery }),
  });
  jar.take(posted);
  if (posted.status !== 302) throw new Error(`login ${posted.status}`);
  const back = await get(jar, posted.headers.get('location'));
  const callback = new URL(back.headers.get('location'));
  const code = callback.searchParams.get('code');
  if (!code) throw new Error('no code');
  return token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri });
}

async function run(flow, total, concurrency, once, prepare = async () => ({})) {
  const latencies = [];
  let ok = 0, errors = 0, next = 0, firstError;
  const states = await Promise.all(Array.from({ length: concurrency }, (_, worker) => prepare(worker)));
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
    const state = states[worker];
    while (next < total) {
      next++;
      const s = performance.now();
      try { await once(state, worker); ok++; } catch (e) { errors++; firstError ??= String(e); }
      latencies.push(performance.now() - s);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p) => Number((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0).toFixed(2));
  console.log(JSON.stringify({ flow, concurrency, ok, errors, firstError, seconds: Number(seconds.toFixed(2)),
    perSecond: Number((ok / seconds).toFixed(1)), p50: q(0.5), p95: q(0.95), p99: q(0.99) }));
}

await run('login', Number(loginsArg), Number(loginConcArg), async () => { await signIn(); });
await run('refresh', Number(refreshesArg), Number(refreshConcArg), async (state) => {
  const tokens = await token({ grant_type: 'refresh_token', refresh_token: state.refresh });
  state.refresh = tokens.refresh_token;
}, async () => ({ refresh: (await signIn()).refresh_token }));
