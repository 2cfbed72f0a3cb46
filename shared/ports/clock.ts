/** Time, injected so use cases are testable with a fixed clock. Always UTC. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
