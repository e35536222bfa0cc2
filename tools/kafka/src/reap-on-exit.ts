// A broker must not outlive the Node process that started it: an orphaned JVM would keep
// its ports and half a gigabyte of memory until someone notices. Every running broker is
// registered here and killed (and its scratch directory removed) when the process exits.
import type { ChildProcess } from 'node:child_process';

interface Registration {
  child: ChildProcess;
  /** Synchronous: it runs inside process.on('exit'), where nothing asynchronous happens. */
  cleanUp: () => void;
}

const live = new Set<Registration>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export function reapOnExit(child: ChildProcess, cleanUp: () => void): () => void {
  const registration: Registration = { child, cleanUp };
  if (live.size === 0) install();
  live.add(registration);
  return () => {
    live.delete(registration);
    if (live.size === 0) uninstall();
  };
}

function install(): void {
  process.on('exit', reapAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off('exit', reapAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

function reapAll(): void {
  for (const { child, cleanUp } of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    try {
      cleanUp();
    } catch {
      // Best effort while the process is going away; a leftover temp directory is harmless.
    }
  }
  live.clear();
}

// Node does not emit 'exit' when a signal kills it, so signals are watched too. If anyone
// else listens for the signal, they own the shutdown (the CLI stops its broker gracefully);
// otherwise the brokers are killed and the signal is raised again with its default effect.
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  reapAll();
  uninstall();
  process.kill(process.pid, signal);
}
