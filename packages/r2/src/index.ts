export type {
  R2BodyStreamLike,
  R2BucketLike,
  R2ConditionalLike,
  R2GetOptionsLike,
  R2HttpMetadataLike,
  R2ListOptionsLike,
  R2MultipartOptionsLike,
  R2MultipartUploadLike,
  R2ObjectBodyLike,
  R2ObjectLike,
  R2ObjectsLike,
  R2PutOptionsLike,
  R2RangeLike,
  R2UploadedPartLike,
} from "./binding.ts";
export { R2BindingFile } from "./r2-binding-file.ts";
export { R2BindingFs, type R2BindingFsOptions } from "./r2-binding-fs.ts";
