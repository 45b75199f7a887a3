// An external service's client as oidc-provider reads it: its metadata from the oidc_client row, and the one way its
// secret is checked, against the hash that is all Guichet keeps.
//
// How the provider will use this (the step that mounts oidc-provider 9, in features/federation/):
// - Client lookup: the adapter of the « Client » model answers find(clientId) with clientMetadataFor(db, clientId).
//   A disabled or unknown client gives undefined, which the provider reports as invalid_client. The provider caches
//   such a client under the hash of its metadata, so a rotated secret or any change is a new client at once.
// - client_secret_basic: the metadata's client_secret is not the secret but its SHA-256 (base64url); the provider
//   needs a value there to accept the method. The provider checks a presented secret by calling
//   `client.compareClientSecret(presented)` and awaits it (lib/shared/client_auth.js); panva exposed that method on
//   the Client prototype for exactly this, secrets kept one-way hashed (node-oidc-provider#631). The mounting step
//   overrides it once after creating the provider:
//     provider.Client.prototype.compareClientSecret = function (presented) {
//       return clientSecretMatches(this.clientSecret, presented);
//     };
//   Nothing else may use client_secret: the provider must enable no symmetric algorithm (no HS256/384/512 in
//   enabledJWA, no client_secret_jwt or client_secret_post in clientAuthMethods), since a hash is no key to share.
//   Rejected: a custom client authentication outside the provider (it would duplicate the token, introspection and
//   revocation endpoints' checks), and keeping the secret encrypted rather than hashed (a secret that can be
//   decrypted can leak; the hash cannot give it back).
// - Pairwise subjects per ministry: subject_type is pairwise and guichet_ministry_id names the ministry, from which
//   the provider's pairwiseIdentifier derives the subject; redirect URIs share one host (validation), so the
//   provider asks no sector_identifier_uri.
// - The minimum assurance is guichet_min_assurance (extraClientMetadata.properties), which the interaction policy reads
//   to ask for the second factor.
import { timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { ClientAuthMethod, DB, MinAssurance } from "../../db/schema.js";
import { findEnabledClientByClientId } from "./external-services.queries.js";
import { hashClientSecret } from "./external-services.service.js";

/** The extra client properties the provider must be told of (extraClientMetadata.properties). */
export const EXTRA_CLIENT_PROPERTIES = [
  "guichet_ministry_id",
  "guichet_service_id",
  "guichet_service_code",
  "guichet_min_assurance",
] as const;

export type ClientMetadata = {
  client_id: string;
  client_name: string;
  client_uri?: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  backchannel_logout_uri?: string;
  backchannel_logout_session_required?: true;
  /** The code flow to sign people in; client credentials for the decision API's tokens (features/decisions-api). */
  grant_types: ["authorization_code", "client_credentials"];
  response_types: ["code"];
  token_endpoint_auth_method: ClientAuthMethod;
  jwks_uri?: string;
  client_secret?: string;
  client_secret_expires_at?: 0;
  id_token_signed_response_alg: "RS256";
  subject_type: "pairwise";
  guichet_ministry_id: number;
  guichet_service_id: number;
  guichet_service_code: string;
  guichet_min_assurance: MinAssurance;
};

/** What stands in the metadata's client_secret: the secret's SHA-256, base64url. */
function storedSecretOf(secretHash: Buffer): string {
  return secretHash.toString("base64url");
}

/**
 * The client's metadata for oidc-provider, or undefined when no enabled client has this client_id. ID tokens are
 * signed with RS256, the algorithm every OpenID Connect client supports by default (ES256 keys exist too; a column
 * can let a service choose it later).
 */
export async function clientMetadataFor(
  db: Kysely<DB>,
  clientId: string,
): Promise<ClientMetadata | undefined> {
  if (clientId.length === 0 || clientId.length > 64) return undefined;
  const row = await findEnabledClientByClientId(db, clientId);
  if (!row) return undefined;
  const metadata: ClientMetadata = {
    client_id: row.client_id,
    client_name: row.name,
    redirect_uris: row.redirect_uris,
    post_logout_redirect_uris: row.post_logout_redirect_uris,
    grant_types: ["authorization_code", "client_credentials"],
    response_types: ["code"],
    token_endpoint_auth_method: row.auth_method,
    id_token_signed_response_alg: "RS256",
    subject_type: "pairwise",
    guichet_ministry_id: row.ministry_id,
    guichet_service_id: row.service_id,
    guichet_service_code: row.service_code,
    guichet_min_assurance: row.min_assurance,
  };
  if (row.external_url) metadata.client_uri = row.external_url;
  if (row.backchannel_logout_uri) {
    metadata.backchannel_logout_uri = row.backchannel_logout_uri;
    metadata.backchannel_logout_session_required = true;
  }
  if (row.auth_method === "private_key_jwt" && row.jwks_uri) metadata.jwks_uri = row.jwks_uri;
  if (row.auth_method === "client_secret_basic" && row.secret_hash) {
    metadata.client_secret = storedSecretOf(row.secret_hash);
    metadata.client_secret_expires_at = 0;
  }
  return metadata;
}

/** Whether a presented secret is the one whose hash the metadata holds; in constant time. */
export function clientSecretMatches(storedClientSecret: unknown, presented: unknown): boolean {
  if (typeof storedClientSecret !== "string" || typeof presented !== "string") return false;
  // A secret is 43 characters; anything far longer is not one, and is not hashed at length.
  if (presented.length === 0 || presented.length > 512) return false;
  const expected = Buffer.from(storedClientSecret);
  const actual = Buffer.from(storedSecretOf(hashClientSecret(presented)));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
