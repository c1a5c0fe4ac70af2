const t = performance.now();
await import(process.argv[2]);
const c = process.cpuUsage();
globalThis.gc();
const u = process.memoryUsage();
console.log(`${(performance.now() - t).toFixed(0)}ms cpu ${((c.user + c.system) / 1000).toFixed(0)} rss ${(u.rss / 1048576).toFixed(1)}`);
