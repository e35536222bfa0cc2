/**
 * The state of one key inside a mapWithState function, as Spark's State[S]: read it,
 * update it, remove it, and find out whether this call is the key's last one because it
 * timed out. Spark's Option is `undefined` here (getOption).
 */
export interface State<S> {
  exists(): boolean;
  /** The state; throws if there is none (check exists() or use getOption()). */
  get(): S;
  getOption(): S | undefined;
  /** Sets the key's state; not allowed once removed or while timing out. */
  update(newState: S): void;
  /** Drops the key's state; not allowed while timing out (the key is removed anyway). */
  remove(): void;
  /** True when this call is the last one for a key idle longer than the timeout. */
  isTimingOut(): boolean;
}

/**
 * The one State object a partition's update reuses for every key (as Spark does): wrap()
 * points it at a key's current state before the user's function runs, and the flags say
 * afterwards what the function did.
 */
export class StateImpl<S> implements State<S> {
  private value: S | undefined = undefined;
  private defined = false;
  private timingOut = false;
  updated = false;
  removed = false;

  wrap(value: S | undefined, defined: boolean): void {
    this.value = value;
    this.defined = defined;
    this.timingOut = false;
    this.updated = false;
    this.removed = false;
  }

  wrapTimingOut(value: S): void {
    this.wrap(value, true);
    this.timingOut = true;
  }

  exists(): boolean {
    return this.defined;
  }

  get(): S {
    if (!this.defined) throw new Error('State.get(): the key has no state (check exists() or use getOption())');
    return this.value as S;
  }

  getOption(): S | undefined {
    return this.defined ? this.value : undefined;
  }

  update(newState: S): void {
    if (this.removed) throw new Error('State.update(): the state was already removed in this call');
    if (this.timingOut) throw new Error('State.update(): a state that is timing out cannot be updated');
    this.value = newState;
    this.defined = true;
    this.updated = true;
  }

  remove(): void {
    if (this.timingOut) throw new Error('State.remove(): a state that is timing out is removed anyway and cannot be removed');
    if (this.removed) throw new Error('State.remove(): the state was already removed in this call');
    this.value = undefined;
    this.defined = false;
    this.removed = true;
  }

  isTimingOut(): boolean {
    return this.timingOut;
  }
}
