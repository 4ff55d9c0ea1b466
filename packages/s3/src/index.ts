export { type CredentialsProvider, cachedCredentials } from "./credentials.ts";
export { encodeKey, encodeQuery } from "./encode.ts";
export { CEPH_PACIFIC_COMPAT, type S3Compat, type S3FsOptions } from "./options.ts";
export { S3File } from "./s3-file.ts";
export { S3Fs } from "./s3-fs.ts";
export { portableSigner } from "./sign-portable.ts";
export { EMPTY_SHA256, type S3Credentials, type Signer, type SignRequest, UNSIGNED_HEADERS } from "./signer.ts";
