const t = process.cpuUsage();
for (const m of process.argv.slice(2)) require(m);
const c = process.cpuUsage(t);
global.gc();
console.log(process.argv.slice(2).join('+'), ((c.user + c.system) / 1000).toFixed(0), 'ms cpu', (process.memoryUsage().rss / 1048576).toFixed(1), 'MB', Object.keys(require.cache).length, 'files');
