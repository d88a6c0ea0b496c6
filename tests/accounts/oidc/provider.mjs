// A real OpenID Connect provider for the ProConnect sign-in tests: panva's oidc-provider
// (installed by `make oidc-provider` into vendor/oidc-provider), configured like ProConnect:
// scopes siret / given_name / usual_name, userinfo answered as a signed JWT, PKCE required,
// client_secret_post, RP-initiated logout. Its own development login and consent forms stand
// in for the identity providers: any login below, any password.
//
// Environment: OIDC_TEST_PORT (0 = any free port), OIDC_TEST_CLIENT_ID (its userinfo is a JWT;
// the same id + "-json" gets plain JSON), OIDC_TEST_CLIENT_SECRET, OIDC_TEST_REDIRECT_URI,
// OIDC_TEST_POST_LOGOUT_REDIRECT_URI. Prints "ready <issuer>" once listening on 127.0.0.1.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const vendor = process.env.OIDC_PROVIDER_DIR
  ?? new URL('../../../vendor/oidc-provider/', import.meta.url).pathname;
const require = createRequire(`${vendor.replace(/\/$/, '')}/package.json`);
const { default: Provider } = await import(pathToFileURL(require.resolve('oidc-provider')).href);

// The agents the tests sign in as (login = sub). SIRET 213 502 388 00019: the Ville de Rennes.
const ACCOUNTS = {
  'agent-rennes': {
    email: 'camille.durand@rennes.fr', given_name: 'Camille', usual_name: 'Durand',
    siret: '21350238800019', idp_id: 'fia1',
  },
  'agent-entreprise': {
    email: 'dominique.martin@entreprise.example', given_name: 'Dominique', usual_name: 'Martin',
    siret: '55210055400013', idp_id: 'fia1',
  },
  'agent-siret-faux': {
    email: 'alex.petit@rennes.fr', given_name: 'Alex', usual_name: 'Petit',
    siret: '21350238800018', idp_id: 'fia1',
  },
  'agent-sans-siret': {
    email: 'sam.leroy@brest.fr', given_name: 'Sam', usual_name: 'Leroy', idp_id: 'fia1',
  },
  'agent-deja-inscrit': {
    email: 'Claude.Bernard@Rennes.fr', given_name: 'Claude', usual_name: 'Bernard',
    siret: '21350238800019', idp_id: 'fia1',
  },
};

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const server = createServer();
await new Promise((resolve) => {
  server.listen(Number(process.env.OIDC_TEST_PORT ?? 0), '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const client = {
  client_id: required('OIDC_TEST_CLIENT_ID'),
  client_secret: required('OIDC_TEST_CLIENT_SECRET'),
  redirect_uris: [required('OIDC_TEST_REDIRECT_URI')],
  post_logout_redirect_uris: [required('OIDC_TEST_POST_LOGOUT_REDIRECT_URI')],
  response_types: ['code'],
  grant_types: ['authorization_code'],
  token_endpoint_auth_method: 'client_secret_post',
  id_token_signed_response_alg: 'RS256',
};

const provider = new Provider(issuer, {
  clients: [
    // Like ProConnect: userinfo as a signed JWT (application/jwt).
    { ...client, userinfo_signed_response_alg: 'RS256' },
    // Like most providers: userinfo as plain JSON.
    { ...client, client_id: `${client.client_id}-json` },
  ],
  // Scope → claims, as ProConnect names them.
  claims: {
    openid: ['sub'],
    email: ['email'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    siret: ['siret'],
    idp_id: ['idp_id'],
  },
  features: {
    devInteractions: { enabled: true },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => true },
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
});
server.on('request', provider.callback());

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
console.log(`ready ${issuer}`);
