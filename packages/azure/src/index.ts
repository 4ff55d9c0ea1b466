export { AzureBlobFile } from "./azure-file.ts";
export { AzureBlobFs, type AzureBlobFsOptions, type AzureConnectionOptions } from "./azure-fs.ts";
export {
  azureBlobFsFromConnectionString,
  DEVELOPMENT_ACCOUNT,
  DEVELOPMENT_KEY,
  type ParsedConnectionString,
  parseConnectionString,
} from "./connection-string.ts";
export type {
  AccessToken,
  AnonymousCredential,
  AzureCredential,
  SasCredential,
  SharedKeyCredential,
  TokenCredential,
} from "./credential.ts";
export { type BlobSasInput, blobSas } from "./sas.ts";
export { API_VERSION, type SignableRequest, sharedKeyStringToSign } from "./shared-key.ts";
