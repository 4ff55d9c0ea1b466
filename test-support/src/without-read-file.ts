import type { Fs } from "@fusio/core";

/**
 * `fs` as a backend without the optional `Fs.readFile` (a third party's) shows it: every
 * required member, nothing else. For tests of callers that fall back to a handle.
 */
export function withoutReadFile(fs: Fs): Fs {
  return {
    kind: fs.kind,
    id: fs.id,
    capabilities: fs.capabilities,
    open: (path, options) => fs.open(path, options),
    stat: (path, options) => fs.stat(path, options),
    list: (dir, options) => fs.list(dir, options),
    createDirAll: (path, options) => fs.createDirAll(path, options),
    remove: (path, options) => fs.remove(path, options),
    copy: (from, to, options) => fs.copy(from, to, options),
    link: (from, to, options) => fs.link(from, to, options),
  };
}
