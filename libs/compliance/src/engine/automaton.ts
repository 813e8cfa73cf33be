/**
 * An Aho–Corasick automaton held entirely in typed arrays, so that a worker thread can build it and
 * hand it to the main thread by transferring the buffers (no copy, no per-node objects to rebuild).
 * Works on UTF-16 units, like String.prototype indexing.
 *
 * Layout: node 0 is the root. The root's transitions are a dense table over all 65,536 units
 * (one array read per character at the root, where the walk spends most of its time in plain
 * text); every other node's transitions are a run of (unit, next) pairs sorted by unit, found by
 * binary search. `output[n]` is the keyword ending at node n (or -1), `dict[n]` the nearest node on
 * n's failure chain with an output (or -1), so the walk lists every keyword ending at a position
 * without following failure links that end nothing.
 */
export interface AutomatonData {
  rootNext: Int32Array;
  edgeStart: Int32Array;
  edgeUnit: Uint16Array;
  edgeNext: Int32Array;
  failure: Int32Array;
  output: Int32Array;
  dict: Int32Array;
  /** Length in UTF-16 units of keyword k. */
  keywordLength: Int32Array;
}

/** Builds the automaton of `keywords` (distinct, non-empty); keyword k is reported by its index. */
export function buildAutomaton(keywords: readonly string[]): AutomatonData {
  // The trie, breadth-first numbering comes later: children kept per node in a Map while building.
  const children: Map<number, number>[] = [new Map()];
  const outputs: number[] = [-1];
  const keywordLength = new Int32Array(keywords.length);
  keywords.forEach((kw, k) => {
    let node = 0;
    for (let i = 0; i < kw.length; i++) {
      const u = kw.charCodeAt(i);
      let next = children[node].get(u);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        outputs.push(-1);
        children[node].set(u, next);
      }
      node = next;
    }
    if (outputs[node] < 0) outputs[node] = k;
    keywordLength[k] = kw.length;
  });

  // Renumber breadth-first so a node's failure target (shallower) is always computed before it.
  const n = children.length;
  const order = new Int32Array(n);
  const id = new Int32Array(n);
  let head = 0;
  let tail = 1;
  while (head < tail) {
    const old = order[head];
    id[old] = head++;
    for (const next of children[old].values()) order[tail++] = next;
  }

  let edges = 0;
  for (const c of children) edges += c.size;
  const rootNext = new Int32Array(0x10000);
  const edgeStart = new Int32Array(n + 1);
  const edgeUnit = new Uint16Array(edges);
  const edgeNext = new Int32Array(edges);
  const output = new Int32Array(n);
  let e = 0;
  for (let nid = 0; nid < n; nid++) {
    const old = order[nid];
    output[nid] = outputs[old];
    edgeStart[nid] = e;
    const sorted = [...children[old]].sort((a, b) => a[0] - b[0]);
    for (const [u, next] of sorted) {
      edgeUnit[e] = u;
      edgeNext[e] = id[next];
      e++;
    }
  }
  edgeStart[n] = e;
  for (let k = edgeStart[0]; k < edgeStart[1]; k++) rootNext[edgeUnit[k]] = edgeNext[k];

  const data: AutomatonData = {
    rootNext,
    edgeStart,
    edgeUnit,
    edgeNext,
    failure: new Int32Array(n),
    output,
    dict: new Int32Array(n).fill(-1),
    keywordLength,
  };
  // Breadth-first order is node order: parents before children.
  for (let parent = 0; parent < n; parent++) {
    for (let k = edgeStart[parent]; k < edgeStart[parent + 1]; k++) {
      const child = edgeNext[k];
      const u = edgeUnit[k];
      let f = 0;
      if (parent !== 0) {
        let s = data.failure[parent];
        for (;;) {
          const t = step(data, s, u);
          if (t >= 0) {
            f = t;
            break;
          }
          if (s === 0) break;
          s = data.failure[s];
        }
      }
      data.failure[child] = f;
      data.dict[child] = output[f] >= 0 ? f : data.dict[f];
    }
  }
  return data;
}

/** The transition of `node` on unit `u`, or -1 (the root answers 0 for "stay at the root"). */
function step(a: AutomatonData, node: number, u: number): number {
  if (node === 0) return a.rootNext[u];
  let lo = a.edgeStart[node];
  let hi = a.edgeStart[node + 1] - 1;
  const units = a.edgeUnit;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const m = units[mid];
    if (m === u) return a.edgeNext[mid];
    if (m < u) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Every occurrence of every keyword in `text`: calls `hit(keyword, begin, end)` in order of end,
 * longer keywords first at the same end.
 */
export function walkAutomaton(a: AutomatonData, text: string, hit: (keyword: number, begin: number, end: number) => void): void {
  const { rootNext, edgeStart, edgeUnit, edgeNext, failure, output, dict, keywordLength } = a;
  let node = 0;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    for (;;) {
      if (node === 0) {
        node = rootNext[u];
        break;
      }
      let lo = edgeStart[node];
      let hi = edgeStart[node + 1] - 1;
      let next = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const m = edgeUnit[mid];
        if (m === u) {
          next = edgeNext[mid];
          break;
        }
        if (m < u) lo = mid + 1;
        else hi = mid - 1;
      }
      if (next >= 0) {
        node = next;
        break;
      }
      node = failure[node];
    }
    if (node === 0) continue;
    for (let k = output[node] >= 0 ? node : dict[node]; k >= 0; k = dict[k]) {
      const kw = output[k];
      hit(kw, i + 1 - keywordLength[kw], i + 1);
    }
  }
}

/** The buffers of an automaton, for postMessage's transfer list. */
export function automatonBuffers(a: AutomatonData): ArrayBuffer[] {
  return [a.rootNext, a.edgeStart, a.edgeUnit, a.edgeNext, a.failure, a.output, a.dict, a.keywordLength].map(
    (x) => x.buffer as ArrayBuffer,
  );
}
