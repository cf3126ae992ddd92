// `npm run bench -- saga|hot-deal|relay|one-hop|wakeup|baseline [options]`: benchmarks that print numbers.
const benches: Record<string, string> = {
  saga: './saga/main.js',
  'hot-deal': './hot-deal.js',
  relay: './relay-throughput.js',
  'one-hop': './one-hop-latency.js',
  wakeup: './wakeup-cost.js',
  baseline: './baseline.js',
};
const [name, ...rest] = process.argv.slice(2);
const module = name ? benches[name] : undefined;
if (!module) {
  console.error(`usage: npm run bench -- ${Object.keys(benches).join('|')} [options]`);
  process.exit(2);
}
process.argv = [process.argv[0]!, process.argv[1]!, ...rest];
await import(module);
process.exit(0);
