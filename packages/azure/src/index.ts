export { AzureBlobFile } from "./azure-file.ts";
export { type AzureBlobFsOptions, AzureBlobFs, type AzureConnectionOptions } from "./azure-fs.ts";
export { DEVELOPMENT_ACCOUNT, DEVELOPMENT_KEY, type ParsedConnectionString, parseConnectionString } from "./connection-string.ts";
export type {
  AccessToken,
  AnonymousCredential,
  AzureCredential,
  SasCredential,
  SharedKeyCredential,
  TokenCredential,
} from "./credential.ts";
export { API_VERSION, blobSas, sharedKeyStringToSign, type BlobSasInput, type SignableRequest } from "./shared-key.ts";
