// An OAuth 2.0 authorization server for p1ctl's interoperability tests:
// panva's oidc-provider (an OpenID Certified implementation), pinned in
// package.json / package-lock.json, with the client-credentials grant and
// one client per token endpoint authentication method (clients.json).
//
//   node server.mjs --jwks PUBLIC_JWKS.json
//
// It listens on 127.0.0.1 on a free port, prints its issuer URL (e.g.
// http://127.0.0.1:41234) and a newline on standard output once it accepts
// connections, and runs until standard input closes or it gets SIGTERM or
// SIGINT. Everything else it says goes to standard error.
//
// PUBLIC_JWKS.json is a JWK Set of the public keys the private_key_jwt
// client may sign its assertions with; the test generates the key pairs.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { format, parseArgs } from 'node:util';

import Provider, { errors } from 'oidc-provider';

// Standard output carries the issuer line and nothing else.
const toStderr = (...args) => { process.stderr.write(`${format(...args)}\n`); };
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;

const { values: opts } = parseArgs({
  options: {
    jwks: { type: 'string', default: process.env.INTEROP_JWKS },
    verbose: { type: 'boolean', default: false },
  },
});
if (!opts.jwks) {
  toStderr('usage: node server.mjs --jwks PUBLIC_JWKS.json (or INTEROP_JWKS=PUBLIC_JWKS.json)');
  process.exit(2);
}

const methods = JSON.parse(readFileSync(new URL('./clients.json', import.meta.url), 'utf8'));
const publicJWKS = JSON.parse(readFileSync(opts.jwks, 'utf8'));
for (const key of publicJWKS.keys ?? []) {
  if (key.d !== undefined) {
    toStderr(`${opts.jwks}: key ${key.kid ?? '(no kid)'} is a private key; give the public JWK Set`);
    process.exit(2);
  }
}

// The resource server client-credentials tokens are issued for: JWT access
// tokens (as PingOne issues), with two scopes.
const RESOURCE = 'urn:p1ctl:interop:api';
const RESOURCE_SCOPES = 'interop:read interop:write';

const clients = Object.entries(methods).map(([method, c]) => ({
  client_id: c.client_id,
  ...(c.client_secret !== undefined && { client_secret: c.client_secret }),
  ...(method === 'private_key_jwt' && { jwks: publicJWKS }),
  token_endpoint_auth_method: method,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
}));

// The provider's own signing key, for JWT access tokens.
const signingKey = {
  ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
  kid: 'interop-signing-key',
  use: 'sig',
  alg: 'ES256',
};

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients,
    // The only signing key is EC (no ID tokens are issued here anyway).
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: {
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 3600,
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
    enabledJWA: {
      // RS256 and ES256/384/512: what p1ctl signs with, by key type and curve.
      clientAuthSigningAlgValues: ['HS256', 'RS256', 'ES256', 'ES384', 'ES512'],
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => {
          if (resourceIndicator !== RESOURCE) {
            throw new errors.InvalidTarget();
          }
          return {
            scope: RESOURCE_SCOPES,
            audience: RESOURCE,
            accessTokenTTL: 3600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
  });
  // Say why a client was refused: oidc-provider answers every failure with
  // "invalid_client: client authentication failed" and keeps the reason in
  // error_detail, which the tests' failure messages show.
  provider.on('grant.error', (ctx, err) => {
    toStderr(`grant.error: ${err.error}: ${err.error_description}${err.error_detail ? ` (${err.error_detail})` : ''}`);
  });
  if (opts.verbose) {
    provider.on('grant.success', (ctx) => { toStderr(`grant.success: ${ctx.oidc.client?.clientId}`); });
  }
  server.on('request', provider.callback());
  process.stdout.write(`${issuer}\n`);
});

function shutdown() {
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.stdin.resume();
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
