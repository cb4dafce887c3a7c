/**
 * Experiment preload (`node -r cpu-report.js ...`): at exit, writes the whole process's CPU time
 * (user + system since the process started, every thread) to stderr as `cpu-report {"cpuMs":...}`,
 * for whole-process.ts: a measure less sensitive than wall time to other processes on the machine.
 */
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\ncpu-report ${JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKb: u.maxRSS })}\n`);
});
