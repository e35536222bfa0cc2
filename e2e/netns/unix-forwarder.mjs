#!/usr/bin/env node
// Listens on HOST:PORT (in whatever network namespace it runs in) and relays every
// connection to the Unix socket PATH. Unix sockets live in the file system, which all
// network namespaces share, so this joins a namespace to a service of the test process
// without giving the namespace any route out.
//
//   node unix-forwarder.mjs HOST PORT PATH
import { connect, createServer } from 'node:net';

const [host, port, path] = process.argv.slice(2);
const server = createServer((inbound) => {
  const outbound = connect(path);
  inbound.pipe(outbound).pipe(inbound);
  const close = () => {
    inbound.destroy();
    outbound.destroy();
  };
  inbound.on('error', close);
  outbound.on('error', close);
  inbound.on('close', close);
  outbound.on('close', close);
});
server.listen(Number(port), host, () => process.stdout.write(`listening ${host}:${port}\n`));
