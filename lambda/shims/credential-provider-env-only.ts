/**
 * Replaces `@aws-sdk/credential-provider-node` in the handler bundle (see scripts/bundle-handler.mjs).
 *
 * The default Node.js provider chain pulls in SSO, INI files, process, web identity, IMDS and
 * their nested STS/SSO clients: about a quarter of the bundle, all dead code in Lambda, which
 * always passes the function role's credentials in environment variables. Loading less code is
 * the cold start we save. The local deploy engine and the tests set the same variables.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
