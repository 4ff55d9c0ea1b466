import type { Capabilities } from "@fusio/core";

/** R2's smallest part size, so that the large conformance files take the multipart path. */
export const PART_SIZE: number = 5 * 1024 * 1024;

/** What R2BindingFs reports. */
export const CAPABILITIES: Capabilities = {
  link: false,
  copy: true,
  cas: true,
  directories: false,
  visibleBeforeClose: false,
  sync: [],
};

/** Large files span two full parts and a short last one (R2 requires equal non-final parts). */
export const OVERRIDES: { largeSize: number; timeout: number } = {
  largeSize: 2 * PART_SIZE + 12_345,
  timeout: 60_000,
};
