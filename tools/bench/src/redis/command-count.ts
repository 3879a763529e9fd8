/**
 * Runs `fn` while counting the commands every ioredis client of this process sends. Pass each copy
 * of ioredis's Redis class in the process: the workspace's (the adapter's connection) and the peers'
 * own (BullMQ's). A pipeline's commands count one each; a script counts one, whatever it calls inside.
 */
export async function countCommands(
  redisClasses: ReadonlyArray<{ prototype: object }>,
  fn: () => Promise<void>,
): Promise<number> {
  let n = 0;
  const restore: Array<() => void> = [];
  for (const proto of new Set(
    redisClasses.map((c) => c.prototype as { sendCommand: (...args: unknown[]) => unknown }),
  )) {
    const had = Object.prototype.hasOwnProperty.call(proto, 'sendCommand');
    const original = proto.sendCommand;
    proto.sendCommand = function (this: unknown, ...args: unknown[]) {
      n++;
      return original.apply(this, args);
    };
    restore.push(() => {
      if (had) proto.sendCommand = original;
      else delete (proto as { sendCommand?: unknown }).sendCommand;
    });
  }
  try {
    await fn();
  } finally {
    for (const r of restore) r();
  }
  return n;
}
