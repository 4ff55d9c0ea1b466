// The same throwaway Ceph RGW that @fusio/s3's tests start (on free loopback ports, removed
// afterwards), or the server S3_ENDPOINT names: the driver suite runs on fusioDriver(S3Fs) there.
export { default } from "../../../s3/test/setup/global-setup.ts";
