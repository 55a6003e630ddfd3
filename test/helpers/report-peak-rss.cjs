// Preloaded into a child process (node --require): reports the process's peak resident memory on exit.
process.on('exit', () => {
  process.stderr.write(`\nPEAK_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
