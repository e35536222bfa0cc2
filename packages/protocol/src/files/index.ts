// Files on disk that every Sluice program shares: the cache directory. Its own entry
// (`@sluice/protocol/files`), so a program that needs only this loads none of the protocol.
export * from './cache-dir.js';
