// Lets a child process run the workspace's TypeScript sources directly, as vitest does in the test
// process: `node --conditions=@stateproof/source --import ./ts-hooks.mjs script.ts`. Imports written
// with `.js` resolve to the `.ts` file beside them, and `.ts` files are transpiled (types erased) with
// the TypeScript compiler the workspace already has. Test infrastructure only; never shipped.
import { register } from 'node:module';

register('./ts-loader.mjs', import.meta.url);
