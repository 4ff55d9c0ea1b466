// The same throwaway Ceph RGW that @fusio/s3's tests start (shared by every project that needs
// it), or the server S3_ENDPOINT names: the demo's S3 section runs on it.
export { default } from "../../../../packages/s3/test/setup/global-setup.ts";
