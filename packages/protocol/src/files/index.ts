// Files on disk that Sluice's programs share: the cache directory and the lock that keeps
// two processes from fetching into it at once. Its own entry (`@sluice/protocol/files`),
// so a program that needs only this loads none of the protocol.
export * from './cache-dir.js';
export * from './dir-lock.js';
