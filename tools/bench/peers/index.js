// The one module the benchmarks import the peers through, so that they resolve from this folder's
// own node_modules (installed by `npm run bench:peers`), not from the workspace's.
export * as pgBoss from 'pg-boss';
export * as graphileWorker from 'graphile-worker';
export * as bullmq from 'bullmq';
export * as ioredis from 'ioredis';
export { default as pg } from 'pg';
