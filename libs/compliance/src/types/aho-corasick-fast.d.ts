// The package publishes its subpath types through `exports`, which the repository's node10
// module resolution does not read; this mirrors dist/fast.d.cts of @monyone/aho-corasick 1.1.
declare module '@monyone/aho-corasick/fast' {
  export class AhoCorasick {
    constructor(keywords: string[]);
    hasKeywordInText(text: string): boolean;
    matchInText(text: string): { begin: number; end: number; keyword: string }[];
  }
}
