// TypeScript's DOM lib has no sync access handle (it lives in the WebWorker lib, which cannot be
// combined with DOM), so the part this package uses is declared here.
// Spec: https://fs.spec.whatwg.org/#api-filesystemsyncaccesshandle

/** Position of a sync access handle read or write. */
export interface SyncAccessOptions {
  at?: number;
}

/** A file opened with `createSyncAccessHandle` in a dedicated worker: synchronous, positional I/O. */
export interface SyncAccessHandle {
  read(buffer: ArrayBufferView, options?: SyncAccessOptions): number;
  write(buffer: ArrayBufferView, options?: SyncAccessOptions): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}

/**
 * `"readwrite-unsafe"` lets several handles, also in other workers, have the file open at once;
 * browsers without the option give an exclusive handle.
 */
export interface CreateSyncAccessHandleOptions {
  mode?: "readwrite" | "read-only" | "readwrite-unsafe";
}

/** A file handle of a context that has sync access handles (a dedicated worker). */
export interface SyncCapableFileHandle extends FileSystemFileHandle {
  createSyncAccessHandle(options?: CreateSyncAccessHandleOptions): Promise<SyncAccessHandle>;
}

/** True where files open with sync access handles: in dedicated workers. */
export function hasSyncAccessHandles(): boolean {
  return (
    typeof FileSystemFileHandle === "function" &&
    typeof (FileSystemFileHandle.prototype as Partial<SyncCapableFileHandle>).createSyncAccessHandle === "function"
  );
}

/** Writes all of `data` at `at`; a handle that stops taking bytes (a full disk) is an error. */
export function writeFully(access: SyncAccessHandle, data: Uint8Array, at: number): void {
  for (let written = 0; written < data.length; ) {
    const count = access.write(data.subarray(written), { at: at + written });
    if (count <= 0) throw new DOMException("the file took no more bytes", "QuotaExceededError");
    written += count;
  }
}

/** Fills `buf` from `at`; false when the file ends first. */
export function readFully(access: SyncAccessHandle, buf: Uint8Array, at: number): boolean {
  for (let read = 0; read < buf.length; ) {
    const count = access.read(buf.subarray(read), { at: at + read });
    if (count <= 0) return false;
    read += count;
  }
  return true;
}
