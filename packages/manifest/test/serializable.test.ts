// A serializability checker: concurrent writers run read-modify-write transfers, each also
// appending its id to a history key, retrying lost races; a compactor runs alongside. The
// committed history must replay, in order, to exactly what each transaction read and to the
// final balances.
import { FusioError } from "@fusio/core";
import { Manifest } from "@fusio/manifest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Backend, backends, TestClock } from "./helpers.ts";

interface Transfer {
  id: string;
  from: string;
  to: string;
  amount: number;
  read: { from: number; to: number };
}

type Value = number | string[];

const ACCOUNTS = ["acct-0", "acct-1", "acct-2", "acct-3", "acct-4"];
const INITIAL = 100;

async function runChecker(backend: Backend, writers: number, perWriter: number) {
  const { fs, cleanup } = backend.create();
  try {
    const clock = new TestClock();
    const open = () => new Manifest<Value>(fs, { prefix: "bank", clock, backoff: { maxRetries: 10 } });
    const setup = await open().writeSession();
    for (const account of ACCOUNTS) setup.put(account, INITIAL);
    setup.put("history", []);
    await setup.commit();

    const committed = new Map<string, Transfer>();
    const aborted = new Set<string>();
    let conflicts = 0;
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };

    const writer = async (w: number): Promise<void> => {
      const manifest = open();
      for (let t = 0; t < perWriter; t++) {
        for (let attempt = 0; ; attempt++) {
          const id = `w${w}-t${t}-a${attempt}`;
          const from = ACCOUNTS[random(ACCOUNTS.length)] as string;
          const to = ACCOUNTS[(ACCOUNTS.indexOf(from) + 1 + random(ACCOUNTS.length - 1)) % ACCOUNTS.length] as string;
          const tx = await manifest.writeSession();
          const fromBalance = (await tx.get(from)) as number;
          const toBalance = (await tx.get(to)) as number;
          const amount = random(Math.max(1, Math.min(fromBalance, 30)) + 1);
          tx.put(from, fromBalance - amount);
          tx.put(to, toBalance + amount);
          tx.put("history", [...((await tx.get("history")) as string[]), id]);
          try {
            await tx.commit();
            committed.set(id, { id, from, to, amount, read: { from: fromBalance, to: toBalance } });
            break;
          } catch (error) {
            if (!FusioError.is(error, "PreconditionFailed")) throw error;
            aborted.add(id);
            conflicts++;
          }
        }
      }
    };
    const compactor = async (stop: () => boolean): Promise<void> => {
      const c = open().compactor();
      while (!stop()) {
        try {
          await c.runOnce();
        } catch (error) {
          if (!FusioError.is(error, "PreconditionFailed")) throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
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

    const state = new Map(await open().scan());
    const history = state.get("history") as string[];
    // Every committed transaction exactly once, no aborted one.
    expect(history).toHaveLength(committed.size);
    expect(new Set(history).size).toBe(history.length);
    expect(history.filter((id) => aborted.has(id))).toEqual([]);
    expect([...committed.keys()].sort()).toEqual([...history].sort());
    // The history replays serially: each transaction read exactly the state its position implies.
    const balances = new Map(ACCOUNTS.map((a) => [a, INITIAL]));
    for (const id of history) {
      const transfer = committed.get(id) as Transfer;
      expect({ id, from: balances.get(transfer.from), to: balances.get(transfer.to) }).toEqual({
        id,
        ...transfer.read,
      });
      balances.set(transfer.from, (balances.get(transfer.from) as number) - transfer.amount);
      balances.set(transfer.to, (balances.get(transfer.to) as number) + transfer.amount);
    }
    for (const account of ACCOUNTS) expect(state.get(account)).toBe(balances.get(account));
    const total = ACCOUNTS.reduce((sum, a) => sum + (state.get(a) as number), 0);
    expect(total).toBe(INITIAL * ACCOUNTS.length);
    return { committed: committed.size, conflicts };
  } finally {
    cleanup();
  }
}

describe.each(backends)("serializability checker on $name", (backend: Backend) => {
  it("8 concurrent writers, 10 transfers each, with a compactor running", { timeout: 120_000 }, async () => {
    const { committed, conflicts } = await runChecker(backend, 8, 10);
    expect(committed).toBe(80);
    // Writers really raced (on disk and in memory the interleaving produces lost races).
    expect(conflicts).toBeGreaterThan(0);
  });
});

describe("proptest_two_writer_serializable", () => {
  type Op = { kind: "put"; key: string; value: string } | { kind: "del"; key: string };
  const key = fc.constantFrom("a", "b", "c", "d");
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("put" as const), key, value: fc.string({ maxLength: 4 }) }),
    fc.record({ kind: fc.constant("del" as const), key }),
  );
  const apply = (state: Map<string, string>, ops: Op[]) => {
    for (const o of ops) {
      if (o.kind === "put") state.set(o.key, o.value);
      else state.delete(o.key);
    }
  };

  it("two writers from one snapshot: exactly one commits and the result is one of the serial outcomes", async () => {
    const { MemoryFs } = await import("@fusio/memory");
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(key, fc.string({ maxLength: 4 })),
        fc.array(op, { maxLength: 5 }),
        fc.array(op, { maxLength: 5 }),
        async (initial, ops1, ops2) => {
          const fs = new MemoryFs();
          const clock = new TestClock();
          const manifest = new Manifest<string>(fs, { clock });
          const setup = await manifest.writeSession();
          for (const [k, v] of Object.entries(initial)) setup.put(k, v);
          await setup.commit();
          const s1 = await manifest.writeSession();
          const s2 = await manifest.writeSession();
          for (const [session, ops] of [
            [s1, ops1],
            [s2, ops2],
          ] as const) {
            for (const o of ops) {
              if (o.kind === "put") session.put(o.key, o.value);
              else session.delete(o.key);
            }
          }
          const results = await Promise.allSettled([s1.commit(), s2.commit()]);
          expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
          const expected = new Map(Object.entries(initial));
          apply(expected, results[0]?.status === "fulfilled" ? ops1 : ops2);
          expect(new Map(await manifest.scan())).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
