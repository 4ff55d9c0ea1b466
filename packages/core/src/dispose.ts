// `File` is `AsyncDisposable` (`await using file = await fs.open(...)`). Node 20 has no
// `Symbol.asyncDispose`; its own resources use the registered symbol below, so fusio installs
// that one when the runtime lacks it. Runtimes that have the symbol are left untouched.
const symbols = Symbol as { asyncDispose?: symbol };
symbols.asyncDispose ??= Symbol.for("nodejs.asyncDispose");
