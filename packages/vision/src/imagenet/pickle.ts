/**
 * A small reader for Python pickle streams (protocols 2-4), enough for PyTorch's
 * legacy checkpoint format. It builds plain values (numbers, bigints, strings, arrays
 * for lists and tuples, Maps for dicts) and asks its caller for everything that would
 * run code in Python: a GLOBAL names a callable the caller must supply, and a
 * persistent id is handed to the caller as is. Unknown globals and opcodes are errors,
 * so a file that wants more than plain data is refused rather than guessed at.
 */
export interface PickleHooks {
  /** The callable that `module.name` stands for; REDUCE calls it with the argument tuple. */
  global(module: string, name: string): (args: unknown[]) => unknown;
  persistentLoad?(id: unknown): unknown;
}

export interface Unpickled {
  value: unknown;
  /** Offset just past the STOP opcode, where the next pickle (or raw data) starts. */
  end: number;
}

const MARK = Symbol('mark');

export function unpickle(bytes: Uint8Array, start: number, hooks: PickleHooks): Unpickled {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  let at = start;

  const need = (n: number) => {
    if (at + n > data.length) throw new Error(`pickle truncated at byte ${at} (needs ${n} more bytes)`);
  };
  const u8 = () => (need(1), data.readUInt8(at++));
  const u16 = () => (need(2), (at += 2), data.readUInt16LE(at - 2));
  const u32 = () => (need(4), (at += 4), data.readUInt32LE(at - 4));
  const i32 = () => (need(4), (at += 4), data.readInt32LE(at - 4));
  const text = (n: number) => (need(n), (at += n), data.toString('utf8', at - n, at));
  const line = () => {
    const end = data.indexOf(0x0a, at);
    if (end < 0) throw new Error(`pickle truncated at byte ${at} (unterminated line)`);
    const value = data.toString('latin1', at, end);
    at = end + 1;
    return value;
  };
  const pop = () => {
    if (stack.length === 0) throw new Error(`pickle stack underflow at byte ${at}`);
    return stack.pop();
  };
  const top = () => stack[stack.length - 1];
  const popToMark = (): unknown[] => {
    const mark = stack.lastIndexOf(MARK);
    if (mark < 0) throw new Error(`pickle has no MARK before byte ${at}`);
    const items = stack.splice(mark);
    items.shift();
    return items;
  };
  const fromMemo = (key: number) => {
    if (!memo.has(key)) throw new Error(`pickle refers to memo entry ${key}, which was never stored`);
    return memo.get(key);
  };
  const setItems = (target: unknown, items: unknown[]) => {
    if (!(target instanceof Map)) throw new Error(`pickle SETITEM on a ${describe(target)}, not a dict`);
    for (let i = 0; i + 1 < items.length; i += 2) target.set(items[i], items[i + 1]);
  };
  const append = (target: unknown, items: unknown[]) => {
    if (!Array.isArray(target)) throw new Error(`pickle APPEND on a ${describe(target)}, not a list`);
    target.push(...items);
  };

  for (;;) {
    const offset = at;
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: need(8); at += 8; break; // FRAME: framing is only a read-ahead hint
      case 0x2e: return { value: pop(), end: at }; // STOP
      case 0x28: stack.push(MARK); break;
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x74: stack.push(popToMark()); break; // TUPLE
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push([a, b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push([a, b, c]); break; } // TUPLE3
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x8a: { const n = u8(); need(n); stack.push(signedLittleEndian(data, at, n)); at += n; break; } // LONG1
      case 0x47: need(8); stack.push(data.readDoubleBE(at)); at += 8; break; // BINFLOAT
      case 0x58: stack.push(text(u32())); break; // BINUNICODE
      case 0x8c: stack.push(text(u8())); break; // SHORT_BINUNICODE
      case 0x54: stack.push(text(i32())); break; // BINSTRING
      case 0x55: stack.push(text(u8())); break; // SHORT_BINSTRING
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: stack.push(fromMemo(u8())); break; // BINGET
      case 0x6a: stack.push(fromMemo(u32())); break; // LONG_BINGET
      case 0x63: { const module = line(); stack.push(hooks.global(module, line())); break; } // GLOBAL
      case 0x93: { const name = String(pop()); stack.push(hooks.global(String(pop()), name)); break; } // STACK_GLOBAL
      case 0x52: { // REDUCE
        const args = pop();
        const callable = pop();
        if (typeof callable !== 'function' || !Array.isArray(args)) throw new Error(`pickle REDUCE at byte ${offset} without a callable and argument tuple`);
        stack.push((callable as (a: unknown[]) => unknown)(args));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = pop();
        const cls = pop();
        if (typeof cls !== 'function' || !Array.isArray(args)) throw new Error(`pickle NEWOBJ at byte ${offset} without a class and argument tuple`);
        stack.push((cls as (a: unknown[]) => unknown)(args));
        break;
      }
      case 0x62: pop(); break; // BUILD: object state (e.g. a state dict's _metadata) is not needed
      case 0x73: { const value = pop(); const key = pop(); setItems(top(), [key, value]); break; } // SETITEM
      case 0x75: { const items = popToMark(); setItems(top(), items); break; } // SETITEMS
      case 0x61: { const value = pop(); append(top(), [value]); break; } // APPEND
      case 0x65: { const items = popToMark(); append(top(), items); break; } // APPENDS
      case 0x51: { // BINPERSID
        if (!hooks.persistentLoad) throw new Error(`pickle has a persistent id at byte ${offset} and nothing to resolve it`);
        stack.push(hooks.persistentLoad(pop()));
        break;
      }
      default:
        throw new Error(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${offset}`);
    }
  }
}

/** LONG1's payload: n bytes of little-endian two's complement. Safe integers become numbers. */
function signedLittleEndian(data: Buffer, start: number, n: number): number | bigint {
  let value = 0n;
  for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(data[start + i]!);
  if (n > 0 && data[start + n - 1]! >= 0x80) value -= 1n << BigInt(8 * n);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function describe(value: unknown): string {
  if (value === null) return 'None';
  if (Array.isArray(value)) return 'tuple or list';
  return typeof value;
}
