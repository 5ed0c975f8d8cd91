// A relying party built on panva/openid-client 6 (OpenID-certified) signs in through our provider and exercises
// every endpoint an OPD web developer would use. The browser part (the login form) is driven with fetch and a cookie
// jar; everything protocol-related is the library's. Prints one JSON document with what happened.
//
//   node openid-client-rp.mjs ISSUER WEB_CLIENT WEB_SECRET REDIRECT_URI POST_LOGOUT_URI SERVICE_CLIENT SERVICE_SECRET NIP PASSWORD
//
// TLS: NODE_EXTRA_CA_CERTS must name the provider's certificate. Loopback issuers only.
import * as client from 'openid-client';

const [,, issuerArg, webId, webSecret, redirectUri, postLogoutUri, serviceId, serviceSecret, nip, password] = process.argv;
const issuer = new URL(issuerArg);
if (!['127.0.0.1', 'localhost'].includes(issuer.hostname)) { console.error('refusing non-loopback issuer'); process.exit(2); }
const result = {};

// 1. Discovery and client_credentials (client_secret_basic), introspection of that token.
const service = await client.discovery(issuer, serviceId, serviceSecret);
const metadata = service.serverMetadata();
result.discovery = { issuer: metadata.issuer, pkce: metadata.code_challenge_methods_supported, par: Boolean(metadata.pushed_authorization_request_endpoint) };
const serviceTokens = await client.clientCredentialsGrant(service, {});
const serviceIntrospection = await client.tokenIntrospection(service, serviceTokens.access_token);
result.clientCredentials = { tokenType: serviceTokens.token_type, expiresIn: serviceTokens.expires_in, active: serviceIntrospection.active, clientId: serviceIntrospection.client_id };

// 2. Authorization code + PKCE (S256) through the real login page, then the code exchange (id_token validated by the library).
const web = await client.discovery(issuer, webId, webSecret);
const verifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const nonce = client.randomNonce();
const authorizationUrl = client.buildAuthorizationUrl(web, {
  redirect_uri: redirectUri,
  scope: 'openid profile opd roles offline_access',
  code_challenge: await client.calculatePKCECodeChallenge(verifier),
  code_challenge_method: 'S256',
  state,
  nonce,
});

const cookies = new Map();
const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const remember = (response) => {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const i = pair.indexOf('=');
    cookies.set(pair.slice(0, i), pair.slice(i + 1));
  }
  return response;
};
const browse = async (url, init = {}) => remember(await fetch(new URL(url, issuer), { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: cookieHeader() } }));

const toLogin = await browse(authorizationUrl);
const loginUrl = toLogin.headers.get('location');
const page = await (await browse(loginUrl)).text();
const antiforgery = page.match(/name="__RequestVerificationToken" type="hidden" value="([^"]+)"/)[1];
const returnUrl = page.match(/id="ReturnUrl" name="ReturnUrl" value="([^"]*)"/)[1].replace(/&amp;/g, '&');
const posted = await browse(loginUrl, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ 'Input.Nip': nip, 'Input.Password': password, ReturnUrl: returnUrl, __RequestVerificationToken: antiforgery }),
});
const back = await browse(posted.headers.get('location'));
const callback = new URL(back.headers.get('location'));
const tokens = await client.authorizationCodeGrant(web, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
const claims = tokens.claims();
result.codeFlow = { sub: claims.sub, nip: claims.nip, opd: claims.opd, acr: claims.acr, hasRefreshToken: Boolean(tokens.refresh_token) };

// 3. Userinfo (the library checks that sub matches the id_token's).
const userinfo = await client.fetchUserInfo(web, tokens.access_token, claims.sub);
result.userinfo = { name: userinfo.name, opd: userinfo.opd, roles: userinfo.role };

// 4. Refresh with rotation.
const refreshed = await client.refreshTokenGrant(web, tokens.refresh_token);

// 5. Introspection and revocation of a user's access token.
const before = await client.tokenIntrospection(web, refreshed.access_token);
await client.tokenRevocation(web, refreshed.access_token);
const after = await client.tokenIntrospection(web, refreshed.access_token);
result.revocation = { activeBefore: before.active, activeAfter: after.active };

// 6. RP-initiated logout with id_token_hint and a registered post-logout URI.
const endSession = client.buildEndSessionUrl(web, { id_token_hint: tokens.id_token, post_logout_redirect_uri: postLogoutUri, state: 'keluar' });
const loggedOut = await browse(endSession);
result.logout = { status: loggedOut.status, location: loggedOut.headers.get('location') };

// 7. The rotated-out refresh token is refused (and, by reuse detection, the family revoked).
let reuse = 'accepted';
try { await client.refreshTokenGrant(web, tokens.refresh_token); } catch (e) { reuse = e.error ?? e.code ?? String(e); }
let family = 'accepted';
try { await client.refreshTokenGrant(web, refreshed.refresh_token); } catch (e) { family = e.error ?? e.code ?? String(e); }
result.refresh = { rotated: refreshed.refresh_token !== tokens.refresh_token, reuse, family };

console.log(JSON.stringify(result));
