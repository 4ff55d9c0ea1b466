// The same throwaway Ceph RGW that @fusio/s3's tests start (on free loopback ports, removed
// afterwards), or the server S3_ENDPOINT names: it stands in for R2's S3 API.
export { default } from "../../../s3/test/setup/global-setup.ts";
