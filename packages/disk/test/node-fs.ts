// The engine as `@fusio/node` configures it: kind "node", reads and appends on the callback
// fs.read / fs.write. These tests ran on NodeFs before the engine had its own package (and
// assert its kind); @fusio/disk cannot depend on @fusio/node, which depends on it.
import { DiskFs, type DiskFsOptions } from "@fusio/disk";

export class NodeFs extends DiskFs {
  constructor(options: DiskFsOptions) {
    super(options, { kind: "node" });
  }
}
