export * from './framing/framer';
export * from './framing/frame-assembler';
export * from './framing/newline-framer';
export * from './framing/length-prefixed-framer';
export * from './framing/varint-delimited-framer';
export * from './framing/image-frame';
export * from './rpc/messages';
export * from './rpc/connection';
