// The same throwaway Ceph RGW that @fusio/s3's tests start (on free loopback ports, removed
// afterwards), or the server S3_ENDPOINT names: the S3 variant of the parquet tests runs on it.
export { default } from "../../../s3/test/setup/global-setup.ts";
