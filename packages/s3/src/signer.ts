/** AWS credentials for SigV4. Never logged, never put into errors. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** For temporary credentials (STS, SSO, instance roles). */
  readonly sessionToken?: string | undefined;
  /** When temporary credentials stop working; they are refreshed before this. */
  readonly expiration?: Date | undefined;
}

/** One request to sign. Header names are lower case; `path` and `query` are already encoded. */
export interface SignRequest {
  readonly method: string;
  /** `host[:port]` as it appears in the URL. */
  readonly host: string;
  /** The encoded path, e.g. `/bucket/a%20b` (see `encodeKey`). */
  readonly path: string;
  /** The canonical query: sorted `k=v` pairs, each encoded, joined by `&` (see `encodeQuery`); `""` for none. */
  readonly query: string;
  /** Every header to send, including `x-amz-date`, `x-amz-content-sha256` and `x-amz-security-token`. */
  readonly headers: Readonly<Record<string, string>>;
  /** `x-amz-date`, e.g. `20130524T000000Z`. */
  readonly datetime: string;
  readonly region: string;
  /** `s3` for S3. */
  readonly service: string;
  readonly credentials: S3Credentials;
  /** Sign every header (the AWS examples do); by default the ones in {@link UNSIGNED_HEADERS} are left out. */
  readonly allHeaders?: boolean | undefined;
}

/**
 * A SigV4 signer. Two implementations give identical signatures: the portable one on
 * aws4fetch (WebCrypto) and a native one on `node:crypto` (`@fusio/s3/node-signer`), which
 * `S3Fs` picks by default on Node through the `#default-signer` import condition.
 */
export interface Signer {
  /** The `Authorization` header value for `request`. */
  authorization(request: SignRequest): string | Promise<string>;
  /** Lower-case hex SHA-256 of `data` (for signed payloads). */
  sha256Hex(data: Uint8Array): string | Promise<string>;
}

/** Headers that are sent but not signed (what aws4fetch leaves out, so both signers agree). */
export const UNSIGNED_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "content-type",
  "content-length",
  "user-agent",
  "presigned-expires",
  "expect",
  "x-amzn-trace-id",
  "range",
  "connection",
]);

/** SHA-256 of the empty string, the payload hash of body-less requests. */
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
