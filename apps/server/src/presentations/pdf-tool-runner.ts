/**
 * The small process that starts PDF tools for the server (see runTool in pdf-tool.ts): it stays
 * small, so starting a process from it is cheap. It runs what the server asks, one message per
 * tool, and leaves with the server.
 */
import { killRunningTools, runToolHere, ToolError, type RunnerReply, type RunnerRequest } from './pdf-tool';

const send = (r: RunnerReply) => process.send!(r);

process.on('message', (q: RunnerRequest) => {
  const onLine = q.progress ? (line: string) => send({ id: q.id, line }) : undefined;
  runToolHere(q.binary, q.args, q.limits, onLine).then(
    ({ stdout, stderr }) => send({ id: q.id, stdout, stderr }),
    (err: unknown) =>
      send({
        id: q.id,
        failure: err instanceof ToolError ? err.reason : 'failed',
        message: err instanceof Error ? err.message : String(err),
      }),
  );
});
// The server stopped or died: so do the tools it asked for.
process.on('disconnect', () => {
  killRunningTools();
  process.exit(0);
});
