// Passkeys in HTTP tests: a software authenticator built on node:crypto that answers the server's options with a
// "none" attestation of an ES256 key, and signs assertions; the server's verification stays @simplewebauthn/server's.
import { createHash, createSign, generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";

type CborValue = number | string | Uint8Array | CborValue[] | Map<number | string, CborValue>;

/** Just the CBOR (RFC 8949) an attestation needs: integers, text, bytes, arrays and maps. */
function cbor(value: CborValue): Buffer {
  const head = (major: number, length: number): Buffer => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 256) return Buffer.from([(major << 5) | 24, length]);
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(length, 1);
    return b;
  };
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const text = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, text.length), text]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const parts: Buffer[] = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

type Credential = { id: Buffer; privateKey: KeyObject; counter: number; userHandle: string; rpId: string };

export type CreationOptions = { challenge: string; rp: { id?: string }; user: { id: string } };
export type RequestOptions = { challenge: string; rpId?: string };

const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

export class SoftAuthenticator {
  readonly credentials: Credential[] = [];
  /** A synced passkey (backup eligible and backed up) rather than a device-bound key. */
  readonly synced: boolean;
  /** Whether each signature increases the counter (synced passkeys often keep it at 0). */
  readonly counts: boolean;

  constructor(options: { synced?: boolean; counts?: boolean } = {}) {
    this.synced = options.synced ?? false;
    this.counts = options.counts ?? true;
  }

  #flags(extra: number): number {
    return UP | UV | extra | (this.synced ? BE | BS : 0);
  }

  /** navigator.credentials.create(), then credential.toJSON(), as the page's script posts it. */
  create(options: CreationOptions, origin: string): string {
    const rpId = options.rp.id ?? new URL(origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const id = randomBytes(16);
    const credential: Credential = { id, privateKey, counter: 0, userHandle: options.user.id, rpId };
    this.credentials.push(credential);
    const coseKey = new Map<number, CborValue>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x ?? "", "base64url")],
      [-3, Buffer.from(jwk.y ?? "", "base64url")],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([this.#flags(AT)]),
      Buffer.alloc(4),
      Buffer.alloc(16),
      idLength,
      id,
      cbor(coseKey),
    ]);
    const attestationObject = cbor(
      new Map<string, CborValue>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    );
    const clientDataJSON = JSON.stringify({ type: "webauthn.create", challenge: options.challenge, origin });
    return JSON.stringify({
      id: b64url(id),
      rawId: b64url(id),
      type: "public-key",
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ["internal"],
      },
    });
  }

  /**
   * navigator.credentials.get() with this authenticator's credential (the last one by default), as toJSON() gives it;
   * `counter` forces the signature counter (to present one that does not increase).
   */
  get(
    options: RequestOptions,
    origin: string,
    choose: { credential?: Credential; counter?: number } = {},
  ): string {
    const credential = choose.credential ?? this.credentials.at(-1);
    if (!credential) throw new Error("this authenticator has no credential");
    if (choose.counter !== undefined) credential.counter = choose.counter;
    else if (this.counts) credential.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(credential.counter);
    const authData = Buffer.concat([
      sha256(options.rpId ?? credential.rpId),
      Buffer.from([this.#flags(0)]),
      counter,
    ]);
    const clientDataJSON = JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin });
    const signature = createSign("sha256")
      .update(Buffer.concat([authData, sha256(clientDataJSON)]))
      .sign(credential.privateKey);
    return JSON.stringify({
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key",
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
    });
  }
}
