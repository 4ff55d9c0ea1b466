// `pnpm check:cycles`: no import cycle inside any package's `src`. Type-only imports don't count.
// dependency-cruiser's default `tsPreCompilationDeps: false` reads each file as TypeScript emits
// it, so `import type` and `import { type X }` are gone before the graph is built and every cycle
// left is one the runtime loads (dynamic `import()` included). Don't switch it to `true` with a
// `viaOnly: { dependencyTypesNot: ["type-only"] }` filter instead: the rule checks the first cycle
// it finds through an import, and when that one goes through a type import, a real cycle through
// the same import is never reported.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Part of an import cycle inside a package's src (type-only imports aside): see DESIGN.md and STYLE.md.",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Each package's own sources: imports of other packages and npm modules are not followed.
    includeOnly: "^packages/[^/]+/src/",
    tsPreCompilationDeps: false,
  },
};
