/** Identifiers and secrets, injected so tests can make them predictable. */
export interface IdGenerator {
  /** Time-ordered, URL-safe id (sorts by creation time). */
  newId(): string;
  /** `length` characters of [A-Za-z0-9] from a cryptographic source. */
  newToken(length: number): string;
}

export interface SecretHasher {
  hash(secret: string): string;
  /** Timing-safe comparison of a secret against a stored hash. */
  verify(secret: string, hash: string): boolean;
}

/** Slow, salted hashing of low-entropy secrets (passwords). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}
