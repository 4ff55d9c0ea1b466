export { openParquetSink, ParquetSink, type ParquetSinkOptions, parquetSink } from "./parquet-sink.ts";
export {
  type OwnedParquetSource,
  openParquetSource,
  type ParquetSource,
  type ParquetSourceOptions,
  parquetSource,
} from "./parquet-source.ts";
