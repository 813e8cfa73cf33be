// The worker thread of compileInWorker: prepares one lexicon version and transfers it back.
import { parentPort, workerData } from 'node:worker_threads';
import { preparedBuffers, prepareLexicon } from './compiled-lexicon';
import { PackedTerms, unpackTerms } from './lexicon-compiler';

const { version, packed } = workerData as { version: number; packed: PackedTerms };
const prepared = prepareLexicon(version, unpackTerms(packed));
parentPort!.postMessage(prepared, preparedBuffers(prepared));
