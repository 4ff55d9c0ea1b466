// The serializability checker for backends reached over the network (S3, Azure, R2): concurrent
// writers run read-modify-write transfers, each also appending its id to a history key,
// retrying lost races; a compactor runs alongside. The committed history must replay, in
// order, to exactly what each transaction read and to the final balances. Same workload as
// serializable.test.ts, plus commits whose outcome the writer never learned (a fault between
// it and the store), which may be applied at most once.
import { type CasFs, FusioError } from "@fusio/core";
import { Manifest, type ManifestOptions } from "@fusio/manifest";
import { expect } from "vitest";

export type BankValue = number | string[];

export interface Transfer {
  id: string;
  from: string;
  to: string;
  amount: number;
  read: { from: number; to: number };
}

export const ACCOUNTS = ["acct-0", "acct-1", "acct-2", "acct-3", "acct-4"];
export const INITIAL = 100;

export interface BankOptions {
  /** The manifest's prefix in `fs` (unique per run on a shared bucket). */
  prefix: string;
  writers: number;
  perWriter: number;
  /**
   * Errors other than a lost race are expected (faults between the manifest and the store):
   * a failed read retries the attempt, a failed commit's outcome is unknown. Default: any such
   * error fails the run.
   */
  faulty?: boolean;
  manifest?: Omit<ManifestOptions<BankValue>, "prefix">;
}

export interface BankResult {
  /** Transactions acknowledged as committed. */
  committed: number;
  /** Lost races (`PreconditionFailed`), each retried. */
  conflicts: number;
  /** Commits that failed otherwise; each was applied at most once (`applied` of them). */
  unknown: number;
  /** Of the unknown commits, how many are in the history. */
  applied: number;
  /** Failed reads or session starts, retried. */
  readErrors: number;
}

/** Runs the checker on `fs` and asserts serializability; returns the counts for the report. */
export async function runBank(fs: CasFs, options: BankOptions): Promise<BankResult> {
  const { writers, perWriter, faulty = false } = options;
  const open = () =>
    new Manifest<BankValue>(fs, { backoff: { maxRetries: 10 }, ...options.manifest, prefix: options.prefix });
  const setup = await open().writeSession();
  for (const account of ACCOUNTS) setup.put(account, INITIAL);
  setup.put("history", []);
  await setup.commit();

  const committed = new Map<string, Transfer>();
  const uncertain = new Map<string, Transfer>();
  const aborted = new Set<string>();
  let conflicts = 0;
  let readErrors = 0;
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  // What a fault between the manifest and the store may surface once retries are spent.
  const expected = (error: unknown): boolean =>
    faulty && FusioError.is(error) && ["Io", "Timeout", "Remote", "RateLimited"].includes(error.kind);

  const attempt = async (manifest: Manifest<BankValue>, id: string): Promise<"done" | "retry"> => {
    const from = ACCOUNTS[random(ACCOUNTS.length)] as string;
    const to = ACCOUNTS[(ACCOUNTS.indexOf(from) + 1 + random(ACCOUNTS.length - 1)) % ACCOUNTS.length] as string;
    let transfer: Transfer;
    const tx = await manifest.writeSession().catch((error: unknown) => {
      if (!expected(error)) throw error;
      return undefined;
    });
    if (tx === undefined) {
      readErrors++;
      return "retry";
    }
    try {
      const fromBalance = (await tx.get(from)) as number;
      const toBalance = (await tx.get(to)) as number;
      const amount = random(Math.max(1, Math.min(fromBalance, 30)) + 1);
      tx.put(from, fromBalance - amount);
      tx.put(to, toBalance + amount);
      tx.put("history", [...((await tx.get("history")) as string[]), id]);
      transfer = { id, from, to, amount, read: { from: fromBalance, to: toBalance } };
    } catch (error) {
      await tx.abort().catch(() => undefined);
      if (!expected(error)) throw error;
      readErrors++;
      return "retry";
    }
    try {
      await tx.commit();
      committed.set(id, transfer);
      return "done";
    } catch (error) {
      if (FusioError.is(error, "PreconditionFailed")) {
        aborted.add(id);
        conflicts++;
        return "retry";
      }
      if (!expected(error)) throw error;
      // Applied or not: the history says, and it may say so at most once.
      uncertain.set(id, transfer);
      return "done";
    }
  };

  const writer = async (w: number): Promise<void> => {
    const manifest = open();
    for (let t = 0; t < perWriter; t++) {
      for (let a = 0; (await attempt(manifest, `w${w}-t${t}-a${a}`)) === "retry"; a++);
    }
  };
  const compactor = async (stop: () => boolean): Promise<void> => {
    const c = open().compactor();
    while (!stop()) {
      try {
        await c.runOnce();
      } catch (error) {
        if (!FusioError.is(error, "PreconditionFailed") && !expected(error)) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  let done = false;
  const compacting = compactor(() => done);
  try {
    await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
  } finally {
    done = true;
    await compacting;
  }

  if (uncertain.size > 0) {
    // A failed commit may have left its segment, adopted once its lease lapses: settle that first.
    const manifest = open();
    await new Promise((resolve) => setTimeout(resolve, manifest.retention.leaseTtlMs + 200));
    await manifest.recoverOrphans();
  }
  const state = new Map(await open().scan());
  const history = state.get("history") as string[];
  // Every acknowledged transaction exactly once, no rejected one, unknown ones at most once.
  expect(new Set(history).size).toBe(history.length);
  expect(history.filter((id) => aborted.has(id))).toEqual([]);
  for (const id of committed.keys()) expect(history).toContain(id);
  expect(history.filter((id) => !committed.has(id) && !uncertain.has(id))).toEqual([]);
  // The history replays serially: each transaction read exactly the state its position implies.
  const balances = new Map(ACCOUNTS.map((a) => [a, INITIAL]));
  for (const id of history) {
    const transfer = (committed.get(id) ?? uncertain.get(id)) as Transfer;
    expect({ id, from: balances.get(transfer.from), to: balances.get(transfer.to) }).toEqual({ id, ...transfer.read });
    balances.set(transfer.from, (balances.get(transfer.from) as number) - transfer.amount);
    balances.set(transfer.to, (balances.get(transfer.to) as number) + transfer.amount);
  }
  for (const account of ACCOUNTS) expect(state.get(account)).toBe(balances.get(account));
  const total = ACCOUNTS.reduce((sum, a) => sum + (state.get(a) as number), 0);
  expect(total).toBe(INITIAL * ACCOUNTS.length);
  return {
    committed: committed.size,
    conflicts,
    unknown: uncertain.size,
    applied: history.filter((id) => uncertain.has(id)).length,
    readErrors,
  };
}

/** A unique manifest prefix for one run on a shared bucket or container. */
export function uniquePrefix(name: string): string {
  return `manifest-${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
